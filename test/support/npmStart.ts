import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { until } from './until'

const root = path.join(__dirname, '..', '..')

/** The pids of a process's descendants, from /proc (Linux), deepest last. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The command name may hold spaces and parentheses: the fields after its closing one are fixed.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)])
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = []
  const visit = (p: number) => {
    for (const child of children.get(p) ?? []) {
      found.push(child)
      visit(child)
    }
  }
  visit(pid)
  return found
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export type NpmStarted = { child: ChildProcess; url: string; exited: Promise<number | null>; output: () => string }

/** `npm start`, as the README runs it, on `port` with `env`; resolves once /health/readiness is UP. */
export async function npmStart(port: number, env: Record<string, string>): Promise<NpmStarted> {
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      CRON_ENABLED: 'false',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', chunk => (output += chunk))
  child.stderr!.on('data', chunk => (output += chunk))
  const exited = new Promise<number | null>(resolve => child.on('exit', resolve))
  const url = `http://127.0.0.1:${port}`
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${output}`)
    return fetch(`${url}/health/readiness`).then(
      r => r.ok,
      () => false,
    )
  }, 120_000)
  return { child, url, exited, output: () => output }
}

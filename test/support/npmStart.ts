import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { until } from './until'

const root = path.join(__dirname, '..', '..')

/** A process as /proc names it: its pid with its start time, since pids are reused. */
export type Proc = { pid: number; start: string; command: string }

function stat(pid: number): { ppid: number; start: string } | undefined {
  try {
    // The command name may hold spaces and parentheses: the fields after its closing one are fixed.
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), start: fields[19]! }
  } catch {
    return undefined // it ended while we looked
  }
}

function readCommand(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()
  } catch {
    return undefined
  }
}

/** A process's descendants now, from /proc (Linux). */
export function descendants(pid: number): Proc[] {
  const children = new Map<number, Proc[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const found = stat(Number(entry))
    if (!found) continue
    const command = readCommand(Number(entry))
    if (command === undefined) continue
    children.set(found.ppid, [...(children.get(found.ppid) ?? []), { pid: Number(entry), start: found.start, command }])
  }
  const result: Proc[] = []
  const visit = (p: number) => {
    for (const child of children.get(p) ?? []) {
      result.push(child)
      visit(child.pid)
    }
  }
  visit(pid)
  return result
}

/** Whether that very process (same pid, same start time) still runs. */
export function alive(proc: Proc): boolean {
  return stat(proc.pid)?.start === proc.start
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

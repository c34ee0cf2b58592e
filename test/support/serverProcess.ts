import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createDb } from '../../db/client'

const root = path.join(__dirname, '..', '..')

export type ServerEnv = Record<string, string>

/**
 * A database of its own for a server run as a child process: a temporary PGlite directory, or a
 * fresh schema on the PostgreSQL of DATABASE_URL (chosen through the connection's search_path).
 */
export async function isolatedDatabase(): Promise<{ env: ServerEnv; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-move-'))
    return { env: { DATA_DIR: dir }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) }
  }
  const schema = `proc_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = createDb({ databaseUrl: url, poolMax: 1 })
  await admin.raw(`CREATE SCHEMA ${schema}`)
  await admin.destroy()
  const separator = url.includes('?') ? '&' : '?'
  return {
    env: {
      DATABASE_URL: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      QUEUE_SCHEMA: schema,
    },
    drop: async () => {
      const db = createDb({ databaseUrl: url, poolMax: 1 })
      await db.raw(`DROP SCHEMA ${schema} CASCADE`)
      await db.destroy()
    },
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

function tsx(script: string, args: string[], env: ServerEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      CRON_ENABLED: 'false',
      SUBSCRIPTION_SECRET_KEY: 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Runs an npm script's underlying command to completion and returns its standard output. */
export async function runScript(script: string, args: string[], env: ServerEnv): Promise<string> {
  const child = tsx(script, args, env)
  let out = ''
  let err = ''
  child.stdout!.on('data', chunk => (out += chunk))
  child.stderr!.on('data', chunk => (err += chunk))
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  if (code !== 0) throw new Error(`${script} exited ${code}: ${err}`)
  return out
}

export type RunningServer = { url: string; child: ChildProcess; exited: Promise<number | null>; output: () => string }

export async function startServer(env: ServerEnv): Promise<RunningServer> {
  const port = await freePort()
  const child = tsx('server.ts', [], { ...env, PORT: String(port), HOST: '127.0.0.1' })
  let output = ''
  child.stdout!.on('data', chunk => (output += chunk))
  child.stderr!.on('data', chunk => (output += chunk))
  const exited = new Promise<number | null>(resolve => child.on('exit', resolve))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited during start: ${output}`)
    const up = await fetch(`${url}/health`).then(
      r => r.ok,
      () => false,
    )
    if (up) return { url, child, exited, output: () => output }
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  child.kill('SIGKILL')
  throw new Error(`server did not start: ${output}`)
}

export async function token(url: string, credentials: { client_id: string; client_secret: string }): Promise<string> {
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...credentials }),
  })
  if (!res.ok) throw new Error(`token request failed: ${res.status}`)
  return ((await res.json()) as { access_token: string }).access_token
}

import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createDb, migrate } from '../db/client'
import { loadDemoData } from '../scripts/cli'
import { BENCH_ANSWERS, machineLine } from './database'
import { isolatedDatabase, runScript, startServer, token } from '../test/support/serverProcess'

/**
 * The CSV export at scale (issue #21): POST /api/moves/csv of every one of `--moves` moves (100,000 by
 * default), each with a person and a profile of two assessment answers. The server runs as `npm start`
 * does, in a child process, on a database of its own (a fresh schema on the PostgreSQL of DATABASE_URL,
 * else a temporary PGlite directory), loaded before it starts. Reports how long the download took, its
 * size, and the server's resident memory (Linux /proc): before, the peak sampled every 20 ms during the
 * download, and the process's high-water mark.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { moves: { type: 'string', default: '100000' } } })
  const moves = Number(values.moves)
  if (!Number.isInteger(moves) || moves < 1 || moves > 5_000_000) throw new Error('--moves 1 to 5,000,000')
  const database = await isolatedDatabase()
  try {
    const loaded = Date.now()
    await load(database.env, moves)
    console.log(`loaded ${moves} moves in ${((Date.now() - loaded) / 1000).toFixed(1)} s`)
    const credentials = JSON.parse(
      await runScript('scripts/clients-create.ts', ['--name', 'bench-csv'], database.env),
    ) as { client_id: string; client_secret: string }
    const server = await startServer({ ...database.env, RATE_LIMIT_PER_MINUTE: '100000000' })
    try {
      const bearer = await token(server.url, credentials)
      const pid = server.child.pid!
      const before = memory(pid)
      let peak = before.rss
      const sampler = setInterval(() => (peak = Math.max(peak, memory(pid).rss)), 20)
      const started = process.hrtime.bigint()
      const res = await fetch(`${server.url}/api/moves/csv`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bearer}`, Accept: 'text/csv' },
      })
      if (!res.ok || !res.body) throw new Error(`POST /api/moves/csv: ${res.status} ${await res.text()}`)
      // Counted as it arrives, never kept: the client's memory is not the server's to measure.
      let bytes = 0
      let lines = 0
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        bytes += chunk.length
        for (const byte of chunk) if (byte === 0x0a) lines++
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      clearInterval(sampler)
      const after = memory(pid)
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`
      console.log(
        `export: ${lines - 1} moves, ${(bytes / 1e6).toFixed(1)} MB of CSV in ${seconds.toFixed(1)} s ` +
          `(${Math.round((lines - 1) / seconds)} moves/s)`,
      )
      console.log(
        `server RSS: ${mb(before.rss)} before, peak ${mb(Math.max(peak, after.rss))} during (sampled), ` +
          `${mb(after.rss)} after; high-water mark ${mb(after.hwm)} (${mb(before.hwm)} before the export)`,
      )
      console.log(machineLine())
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
  } finally {
    await database.drop()
  }
}

/** The resident set (VmRSS) and its high-water mark (VmHWM) of process `pid`, in bytes. */
function memory(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

/**
 * Migrates the database the server will use, loads the demo data and `moves` prison transfers, each
 * with its own person and profile, in set-based SQL, then lets it go before the server opens it (PGlite
 * takes one process at a time).
 */
async function load(env: Record<string, string>, moves: number): Promise<void> {
  // The demo data's loader reads the configuration, which needs a subscription key on PostgreSQL: the
  // one the server of test/support/serverProcess runs with.
  process.env.SUBSCRIPTION_SECRET_KEY ??= 'c0ffee'.repeat(10) + 'c0ff'
  Object.assign(process.env, env)
  // Loading 100,000 moves is one statement each for people, profiles and moves: longer than a request's timeout.
  const options = { statementTimeoutMs: 600_000 }
  const db = env.DATABASE_URL
    ? createDb({ ...options, databaseUrl: env.DATABASE_URL })
    : createDb({ ...options, dataDir: env.DATA_DIR })
  try {
    await migrate(db)
    await loadDemoData(db)
    await db.raw(
      `insert into people (id, first_names, last_name, date_of_birth, prison_number)
       select md5('csv-person-' || i)::uuid, 'CSV', 'PERSON ' || i, date '1980-01-01' + (i % 9000),
              'C' || lpad(i::text, 6, '0')
       from generate_series(1, ?::int) i`,
      [moves],
    )
    await db.raw(
      `with ${BENCH_ANSWERS}
       insert into profiles (id, person_id, assessment_answers)
       select md5('csv-profile-' || i)::uuid, md5('csv-person-' || i)::uuid, answers.value
       from generate_series(1, ?::int) i, answers`,
      [moves],
    )
    await db.raw(
      `insert into moves (id, reference, status, move_type, date, from_location_id, to_location_id, supplier_id,
                          profile_id, created_at, updated_at)
       select md5('csv-move-' || i)::uuid, 'CSV' || lpad(i::text, 7, '0'),
              (array['requested', 'booked', 'completed', 'cancelled'])[1 + i % 4], 'prison_transfer',
              date '2027-01-01' + i % 365,
              (select id from locations where key = 'bsi'), (select id from locations where key = 'iwi'),
              (select id from suppliers where key = 'geoamey'), md5('csv-profile-' || i)::uuid,
              timestamptz '2026-01-01T09:00:00Z' + i * interval '1 second',
              timestamptz '2026-01-01T09:00:00Z' + i * interval '1 second'
       from generate_series(1, ?::int) i`,
      [moves],
    )
    await db.raw('analyze')
  } finally {
    await db.destroy()
    // PGlite's lock file goes at this process's exit; the database is closed now, so the server may take it.
    const lock = env.DATA_DIR && path.join(env.DATA_DIR, 'pg.pid')
    if (lock && fs.existsSync(lock) && fs.readFileSync(lock, 'utf8') === String(process.pid)) fs.rmSync(lock)
  }
}

main().catch(err => {
  console.error(err)
  process.exit(1)
})

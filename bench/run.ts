import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { createClient, issueToken } from '../lib/auth/clients'
import { systemClock } from '../lib/clock'
import { freePort } from '../test/support/serverProcess'
import { BENCH_DATABASE_URL, benchDb, FIRST_DAY, QUEUE_SCHEMA, TRANSITION_DAY } from './database'

const root = path.join(__dirname, '..')
const V2 = 'application/vnd.api+json; version=2'

type Mode = { kind: 'max' } | { kind: 'rate'; rate: number }
type Target = 'server' | 'baseline'
type Scenario = {
  name: string
  target: Target
  modes: Mode[]
  /** One request, or a sequence that each connection repeats. */
  requests: (ctx: BenchContext) => autocannon.Request[]
  /** Answers why the scenario cannot run on this build, or nothing when it can. */
  skip?: (ctx: BenchContext) => Promise<string | undefined>
}
type BenchContext = { server: string; baseline: string; token: string; day: string; nextMove: () => string | undefined }

const movesQuery = (size: number, day: string) =>
  `/api/moves?filter%5Bdate_from%5D=${day}&filter%5Bdate_to%5D=${day}&include=profile.person%2Cfrom_location%2Cto_location&per_page=${size}`

const json = (token: string) => ({
  Authorization: `Bearer ${token}`,
  Accept: V2,
  'Content-Type': 'application/vnd.api+json',
})

// NOMS ids are a letter, four digits and two letters; bench:seed makes B0001BE to B1000BE.
const ALERTS_OFFENDER = 'B0001BE'

/** What one run measures; add a scenario here and it is measured, printed and written. */
const scenarios: Scenario[] = [
  ...[20, 100].flatMap((size): Scenario[] => [
    {
      name: `GET /api/moves one day, include profile.person,from_location,to_location, page of ${size}`,
      target: 'server',
      modes: [{ kind: 'max' }, { kind: 'rate', rate: 200 }],
      requests: ctx => [{ method: 'GET', path: movesQuery(size, ctx.day), headers: json(ctx.token) }],
    },
    {
      name: `raw baseline: node:http, one query, JSON.stringify, page of ${size}`,
      target: 'baseline',
      modes: [{ kind: 'max' }, { kind: 'rate', rate: 200 }],
      requests: ctx => [{ method: 'GET', path: `/moves?date=${ctx.day}&per_page=${size}` }],
    },
  ]),
  {
    name: 'GET /api/allocations one day, with meta.moves',
    target: 'server',
    modes: [{ kind: 'max' }],
    requests: ctx => [
      {
        method: 'GET',
        path: `/api/allocations?filter%5Bdate_from%5D=${ctx.day}&filter%5Bdate_to%5D=${ctx.day}&per_page=20`,
        headers: json(ctx.token),
      },
    ],
  },
  {
    name: 'POST accept -> start -> complete, each with an Idempotency-Key (requests/s over the three)',
    target: 'server',
    modes: [{ kind: 'max' }],
    requests: ctx => {
      const step = (event: string, type: string, first = false): autocannon.Request => ({
        method: 'POST',
        setupRequest: (req, context) => {
          const state = context as { move?: string }
          if (first) state.move = ctx.nextMove()
          const body = JSON.stringify({ data: { type, attributes: { timestamp: '2026-06-01T10:00:00Z' } } })
          return {
            ...req,
            path: `/api/moves/${String(state.move)}/${event}`,
            headers: { ...json(ctx.token), 'Idempotency-Key': randomUUID() },
            body,
          }
        },
      })
      return [step('accept', 'accepts', true), step('start', 'starts'), step('complete', 'completes')]
    },
  },
  {
    name: `GET /nomisapi/offenders/${ALERTS_OFFENDER}/alerts`,
    target: 'server',
    modes: [{ kind: 'max' }],
    requests: ctx => [
      { method: 'GET', path: `/nomisapi/offenders/${ALERTS_OFFENDER}/alerts`, headers: json(ctx.token) },
    ],
    skip: async ctx => {
      const res = await fetch(`${ctx.server}/nomisapi/offenders/${ALERTS_OFFENDER}/alerts`, {
        headers: json(ctx.token),
      })
      return res.status === 404 ? 'the NOMIS API answers 404 on this build (not merged yet)' : undefined
    },
  },
]

type Round = Omit<Measured, 'scenario' | 'target'>
type Measured = {
  scenario: string
  target: Target
  mode: string
  requestsPerSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  requests: number
  non2xx: number
  errors: number
  peakRssMb: number
}

function spawnNode(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url} exited during start`)
    if (
      await fetch(url).then(
        r => r.status < 500,
        () => false,
      )
    )
      return
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  throw new Error(`${url} did not start`)
}

/** Resident memory of a process (kB from /proc), sampled while a run lasts. */
function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

function peakRssMbEver(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

async function measure(
  url: string,
  requests: autocannon.Request[],
  mode: Mode,
  seconds: number,
  connections: number,
  pid: number,
): Promise<Round> {
  let peak = rssMb(pid)
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100)
  try {
    const result = await autocannon({
      url,
      connections,
      duration: seconds,
      timeout: 10,
      requests,
      ...(mode.kind === 'rate' ? { overallRate: mode.rate } : {}),
    })
    return {
      mode: mode.kind === 'max' ? `max, ${connections} connections` : `${mode.rate} req/s`,
      requestsPerSecond: Math.round(result.requests.average),
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      peakRssMb: Math.round(Math.max(peak, rssMb(pid))),
    }
  } finally {
    clearInterval(sampler)
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '10' },
      day: { type: 'string', default: FIRST_DAY },
    },
  })
  const seconds = Number(values.duration)
  const connections = Number(values.connections)
  const rounds = Number(values.rounds)
  if (!(seconds > 0 && seconds <= 60) || !(connections > 0 && connections <= 100) || !(rounds >= 1 && rounds <= 10)) {
    throw new Error('--duration is 1 to 60 seconds a slice, --connections 1 to 100, --rounds 1 to 10')
  }

  const db = benchDb()
  const children: ChildProcess[] = []
  // However the run ends, nothing it started outlives it.
  const stopChildren = () => children.forEach(c => c.exitCode === null && c.kill('SIGKILL'))
  process.on('exit', stopChildren)
  const watchdog = setTimeout(
    () => {
      console.error('bench took longer than its time budget; stopping')
      stopChildren()
      process.exit(1)
    },
    (scenarios.length * 2 * rounds * (seconds + 5) + 180) * 1000,
  ).unref()
  try {
    const counts = await db.raw(
      `select (select count(*) from moves where reference like 'BM%') as moves,
              (select count(*) from moves where date = ?) as day_moves`,
      [values.day],
    )
    const { moves, day_moves: dayMoves } = counts.rows[0] as { moves: number; day_moves: number }
    if (!moves) throw new Error('no benchmark data: run `npm run bench:seed` first')
    const requested = (await db('moves')
      .where({ date: TRANSITION_DAY, status: 'requested' })
      .orderBy('reference')
      .pluck('id')) as string[]
    const { client, clientSecret } = await createClient(db, { name: `bench-${Date.now()}`, roles: ['nomis'] })
    const issued = await issueToken(db, systemClock, 7200, client.clientId, clientSecret)

    const [serverPort, baselinePort] = [await freePort(), await freePort()]
    const server = spawnNode('server.ts', {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
      CRON_ENABLED: 'false',
      DATABASE_URL: BENCH_DATABASE_URL,
      QUEUE_SCHEMA,
      // The bench data has no webhook subscriptions; the key only has to be well formed.
      SUBSCRIPTION_SECRET_KEY: process.env.SUBSCRIPTION_SECRET_KEY ?? 'b'.repeat(64),
      HOST: '127.0.0.1',
      PORT: String(serverPort),
    })
    children.push(server)
    const baseline = spawnNode('bench/baseline.ts', { DATABASE_URL: BENCH_DATABASE_URL, PORT: String(baselinePort) })
    children.push(baseline)
    const ctx: BenchContext = {
      server: `http://127.0.0.1:${serverPort}`,
      baseline: `http://127.0.0.1:${baselinePort}`,
      token: issued!.access_token,
      day: values.day,
      nextMove: () => requested.shift(),
    }
    await waitUntilUp(`${ctx.server}/health`, server)
    await waitUntilUp(`${ctx.baseline}/moves?date=${ctx.day}`, baseline)
    const pids: Record<Target, number> = { server: server.pid!, baseline: baseline.pid! }
    const urls: Record<Target, string> = { server: ctx.server, baseline: ctx.baseline }

    const loadAverageBefore = os.loadavg().map(l => Math.round(l * 10) / 10)
    console.log(
      `${moves} moves, ${dayMoves} on ${ctx.day}; ${os.cpus().length} CPUs, load average ${loadAverageBefore.join(' ')}; ` +
        `${rounds} rounds of ${seconds} s a scenario; warming up`,
    )
    for (const target of ['server', 'baseline'] as const) {
      const warmUp = scenarios.find(s => s.target === target)!
      await measure(urls[target], warmUp.requests(ctx), { kind: 'max' }, 3, connections, pids[target])
    }

    // Each scenario runs for a slice in every round, in turn with the others, so that a burst of
    // other work on the machine falls on all of them alike; each figure is the median of the rounds.
    const runs = []
    const skipped: { scenario: string; reason: string }[] = []
    for (const scenario of scenarios) {
      const reason = await scenario.skip?.(ctx)
      if (reason) {
        console.log(`skipped: ${scenario.name}: ${reason}`)
        skipped.push({ scenario: scenario.name, reason })
      } else for (const mode of scenario.modes) runs.push({ scenario, mode, rounds: [] as Round[] })
    }
    for (let round = 1; round <= rounds; round++) {
      for (const run of runs) {
        const { scenario, mode } = run
        const m = await measure(
          urls[scenario.target],
          scenario.requests(ctx),
          mode,
          seconds,
          connections,
          pids[scenario.target],
        )
        run.rounds.push(m)
        console.log(
          `round ${round}: ${scenario.name} [${m.mode}]: ${m.requestsPerSecond} req/s, p50 ${m.latencyP50Ms} ms, ` +
            `p99 ${m.latencyP99Ms} ms, ${m.non2xx} non-2xx, ${m.errors} errors, RSS ${m.peakRssMb} MB`,
        )
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const results: Measured[] = runs.map(({ scenario, rounds: measured }) => ({
      scenario: scenario.name,
      target: scenario.target,
      mode: measured[0]!.mode,
      requestsPerSecond: median(measured.map(m => m.requestsPerSecond)),
      latencyP50Ms: median(measured.map(m => m.latencyP50Ms)),
      latencyP99Ms: median(measured.map(m => m.latencyP99Ms)),
      requests: measured.reduce((sum, m) => sum + m.requests, 0),
      non2xx: measured.reduce((sum, m) => sum + m.non2xx, 0),
      errors: measured.reduce((sum, m) => sum + m.errors, 0),
      peakRssMb: Math.max(...measured.map(m => m.peakRssMb)),
    }))
    const peakRss = {
      server: Math.round(peakRssMbEver(pids.server)),
      baseline: Math.round(peakRssMbEver(pids.baseline)),
    }

    const at = (size: number, target: Target, mode: string) =>
      results.find(r => r.target === target && r.scenario.endsWith(`page of ${size}`) && r.mode.startsWith(mode))
    const targets = [20, 100].flatMap(size => {
      const ours = at(size, 'server', 'max')
      const raw = at(size, 'baseline', 'max')
      const paced = at(size, 'server', '200')
      if (!ours || !raw || !paced) return []
      const ratio = Math.round((ours.requestsPerSecond / raw.requestsPerSecond) * 100) / 100
      return [
        { target: `move list (page of ${size}) >= 0.5 x raw baseline throughput`, value: ratio, met: ratio >= 0.5 },
        {
          target: `move list (page of ${size}) p99 < 50 ms at 200 req/s`,
          value: paced.latencyP99Ms,
          met: paced.latencyP99Ms < 50,
        },
      ]
    })
    targets.push({ target: 'server peak RSS < 250 MB', value: peakRss.server, met: peakRss.server < 250 })

    console.log('')
    console.table(
      results.map(r => ({
        scenario: r.scenario.slice(0, 70),
        mode: r.mode,
        'req/s': r.requestsPerSecond,
        'p50 ms': r.latencyP50Ms,
        'p99 ms': r.latencyP99Ms,
        'x baseline':
          r.target === 'server' && r.scenario.includes('page of')
            ? Math.round(
                (r.requestsPerSecond /
                  (results.find(
                    b => b.target === 'baseline' && b.mode === r.mode && b.scenario.slice(-3) === r.scenario.slice(-3),
                  )?.requestsPerSecond ?? NaN)) *
                  100,
              ) / 100
            : '',
        'non-2xx': r.non2xx + r.errors,
        'RSS MB': r.peakRssMb,
      })),
    )
    console.log(`peak RSS over the run: server ${peakRss.server} MB, baseline ${peakRss.baseline} MB`)
    for (const t of targets) console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.value}`)

    const out = {
      command: `npm run bench -- --duration ${seconds} --rounds ${rounds} --connections ${connections}`,
      measuredAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        node: process.version,
        loadAverageBefore,
        loadAverageAfter: os.loadavg().map(l => Math.round(l * 10) / 10),
      },
      data: { moves, movesOnDay: dayMoves, day: ctx.day },
      results,
      skipped,
      peakRssMb: peakRss,
      targets,
    }
    fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(out, null, 2)}\n`)
    console.log('written to bench/results.json')
  } finally {
    clearTimeout(watchdog)
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await new Promise(resolve => child.once('exit', resolve))
      }
    }
    await db.destroy()
  }
}

main().catch(err => {
  console.error(err)
  process.exit(1)
})

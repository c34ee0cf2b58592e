import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process'
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
import type { PacedResult, PacedSlice } from './pacedClient'
import { seed } from './seed'

const root = path.join(__dirname, '..')
const V2 = 'application/vnd.api+json; version=2'

/**
 * How a scenario's requests are sent.
 * - `max`: each of the connections sends its next request as soon as the last is answered (autocannon).
 * - `paced`: requests start every 1/rate s whatever is outstanding, new connections opened as needed
 *   (loadtest's `requestsPerSecond`): the load of many independent clients, the meaning of "p99 at a rate".
 * - `burst`: autocannon's `overallRate`, which lets each connection send its share of a second's
 *   requests back to back when the second starts and then wait: every second begins with all the
 *   connections busy, so its p99 is that of the first moments of a saturated server. Kept beside `paced`
 *   because the runs before this one measured it.
 */
type Mode = { kind: 'max' } | { kind: 'paced'; rate: number } | { kind: 'burst'; rate: number }
type Target = 'server' | 'baseline'
type Scenario = {
  name: string
  target: Target
  modes: Mode[]
  /** One request, or a sequence that each connection repeats. */
  requests: (ctx: BenchContext) => autocannon.Request[]
  /** Answers why the scenario cannot run on this build, or nothing when it can. */
  skip?: (ctx: BenchContext) => Promise<string | undefined>
  /** The dates a move list covers; a server list and the baseline over the same dates are compared. */
  range?: RangeKey
}
type BenchContext = {
  server: string
  baseline: string
  token: string
  /** The one day listed, the last of the 30 days listed from it, and the day of 20,000 moves. */
  day: string
  monthEnd: string
  busyDay: string
  nextMove: () => string | undefined
  /** A move the events POST is about. */
  eventMove: string
}

/** The move lists measured, each against the raw baseline over the same dates. */
const RANGES = [
  { key: 'one day', from: (c: BenchContext) => c.day, to: (c: BenchContext) => c.day },
  { key: '30 days', from: (c: BenchContext) => c.day, to: (c: BenchContext) => c.monthEnd },
  { key: 'busy day', from: (c: BenchContext) => c.busyDay, to: (c: BenchContext) => c.busyDay },
] as const
type RangeKey = (typeof RANGES)[number]['key']

const PAGE = 20

/** The heap limit the server is deployed with (README, "Set-up"): V8 then grows its heap 1.8 times what is live, not 4. */
const SERVER_NODE_OPTIONS = ['--max-old-space-size=1536']
const movesQuery = (from: string, to: string) =>
  `/api/moves?filter%5Bdate_from%5D=${from}&filter%5Bdate_to%5D=${to}&include=profile.person%2Cfrom_location%2Cto_location&per_page=${PAGE}`

const json = (token: string) => ({
  Authorization: `Bearer ${token}`,
  Accept: V2,
  'Content-Type': 'application/vnd.api+json',
})

// NOMS ids are a letter, four digits and two letters; bench:seed makes B0001BE to B1000BE.
const ALERTS_OFFENDER = 'B0001BE'

/** What one run measures; add a scenario here and it is measured, printed and written. */
const scenarios = (rate: number): Scenario[] => [
  ...RANGES.flatMap((range): Scenario[] => [
    {
      name: `GET /api/moves ${range.key}, include profile.person,from_location,to_location, page of ${PAGE}`,
      target: 'server',
      range: range.key,
      modes:
        range.key === 'one day'
          ? [{ kind: 'max' }, { kind: 'paced', rate }, { kind: 'burst', rate }]
          : [{ kind: 'max' }],
      requests: ctx => [{ method: 'GET', path: movesQuery(range.from(ctx), range.to(ctx)), headers: json(ctx.token) }],
    },
    {
      name: `raw baseline ${range.key}: node:http, one statement, JSON.stringify, page of ${PAGE}`,
      target: 'baseline',
      range: range.key,
      modes: [{ kind: 'max' }],
      requests: ctx => [
        { method: 'GET', path: `/moves?date_from=${range.from(ctx)}&date_to=${range.to(ctx)}&per_page=${PAGE}` },
      ],
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
  {
    name: 'POST /api/events MoveNotifyPremisesOfArrivalIn30Mins on a move of the listed day',
    target: 'server',
    modes: [{ kind: 'max' }],
    requests: ctx => [
      {
        method: 'POST',
        setupRequest: req => ({
          ...req,
          path: '/api/events',
          headers: { ...json(ctx.token), 'Idempotency-Key': randomUUID() },
          body: eventBody(ctx.eventMove),
        }),
      },
    ],
    skip: async ctx => {
      const res = await fetch(`${ctx.server}/api/events`, {
        method: 'POST',
        headers: { ...json(ctx.token), 'Idempotency-Key': randomUUID() },
        body: eventBody(ctx.eventMove),
      })
      return res.status === 404 || res.status === 405
        ? `POST /api/events answers ${res.status} on this build (not merged yet)`
        : res.status >= 300
          ? `POST /api/events answers ${res.status}: ${await res.text()}`
          : undefined
    },
  },
]

const eventBody = (moveId: string) =>
  JSON.stringify({
    data: {
      type: 'events',
      attributes: {
        event_type: 'MoveNotifyPremisesOfArrivalIn30Mins',
        occurred_at: '2027-01-01T10:00:00Z',
        recorded_at: '2027-01-01T10:00:00Z',
        notes: 'bench',
        details: {},
      },
      relationships: { eventable: { data: { type: 'moves', id: moveId } } },
    },
  })

type Round = Omit<Measured, 'scenario' | 'target' | 'range'>
type Measured = {
  scenario: string
  target: Target
  range?: RangeKey
  mode: string
  requestsPerSecond: number
  /** Ours over the raw baseline's requests per second, same dates, same run; only where a baseline exists. */
  ratio?: number
  latencyP50Ms: number
  latencyP99Ms: number
  /** Each round's p99, in the order they ran; `latencyP99Ms` is their median. */
  latencyP99MsByRound?: number[]
  requests: number
  non2xx: number
  errors: number
  peakRssMb: number
}

/** Runs a TypeScript file under tsx, or with `built` the JavaScript tsc made of it. */
function spawnNode(
  script: string,
  env: Record<string, string>,
  { nodeOptions = [], built = false }: { nodeOptions?: string[]; built?: boolean } = {},
): ChildProcess {
  const args = built ? [path.join('dist', script.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', script]
  return spawn(process.execPath, [...nodeOptions, ...args], {
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

/** How a mode is named in the output and in results.json. */
function modeName(mode: Mode, connections: number): string {
  if (mode.kind === 'max') return `max, ${connections} connections`
  if (mode.kind === 'paced') return `${mode.rate} req/s, evenly spaced`
  return `${mode.rate} req/s in bursts, ${connections} connections`
}

async function measure(
  url: string,
  requests: autocannon.Request[],
  mode: Mode,
  seconds: number,
  connections: number,
  pid: number,
  pacedClient: ChildProcess,
): Promise<Round> {
  let peak = rssMb(pid)
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100)
  try {
    const load =
      mode.kind === 'paced'
        ? await paced(pacedClient, url, requests, mode.rate, seconds)
        : await autocannon({
            url,
            connections,
            duration: seconds,
            timeout: 10,
            requests,
            ...(mode.kind === 'burst' ? { overallRate: mode.rate } : {}),
          }).then(result => ({
            requestsPerSecond: Math.round(result.requests.average),
            latencyP50Ms: result.latency.p50,
            latencyP99Ms: result.latency.p99,
            requests: result.requests.total,
            non2xx: result.non2xx,
            errors: result.errors + result.timeouts,
          }))
    const round = { mode: modeName(mode, connections), ...load, peakRssMb: Math.round(Math.max(peak, rssMb(pid))) }
    await untilIdle(pid)
    return round
  } finally {
    clearInterval(sampler)
  }
}

/** CPU time a process has used, in clock ticks (utime + stime from /proc). */
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12])
}

/**
 * Waits (at most 30 s) until the process uses under a tenth of a CPU over a quarter of a second: a
 * paced slice stops sending on time but leaves the requests it started, and the next slice must not
 * measure a server still answering them.
 */
async function untilIdle(pid: number): Promise<void> {
  const deadline = Date.now() + 30_000
  let before = cpuTicks(pid)
  while (Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 250))
    const now = cpuTicks(pid)
    // Clock ticks are a hundredth of a second on Linux: 2.5 ticks in 250 ms is a tenth of a CPU.
    if (now - before < 2.5) return
    before = now
  }
}

/**
 * Sends `requests` (one GET) at `rate` a second for `seconds` from the paced client's process
 * (bench/pacedClient.ts), and waits for what it measured.
 */
async function paced(
  client: ChildProcess,
  url: string,
  requests: autocannon.Request[],
  rate: number,
  seconds: number,
): Promise<PacedResult> {
  const [request] = requests
  if (requests.length !== 1 || !request?.path || (request.method ?? 'GET') !== 'GET') {
    throw new Error('a paced scenario sends one GET')
  }
  const slice: PacedSlice = {
    url: `${url}${request.path}`,
    headers: request.headers as Record<string, string>,
    rate,
    seconds,
  }
  const answer = await new Promise<PacedResult | { error: string }>((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the paced client exited (${code}) during a slice`))
    client.once('exit', exited)
    client.once('message', message => {
      client.off('exit', exited)
      resolve(message as PacedResult | { error: string })
    })
    client.send(slice)
  })
  if ('error' in answer) throw new Error(`the paced client failed: ${answer.error}`)
  return answer
}

/** Forks the paced client (bench/pacedClient.ts) under tsx; it lives until the run stops it. */
function forkPacedClient(): ChildProcess {
  return fork(path.join(__dirname, 'pacedClient.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

const usage = `usage: npm run bench -- [--duration S] [--rounds N] [--connections N] [--rate R] [--warm-up N] [--only REGEX]
                     [--seed [--moves N] [--transition-moves N]] [--day YYYY-MM-DD] [--cpu-prof DIR]
                     [--tsx | --skip-build]`

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '10' },
      rate: { type: 'string', default: '150' },
      'warm-up': { type: 'string', default: '5000' },
      only: { type: 'string' },
      seed: { type: 'boolean', default: false },
      moves: { type: 'string', default: '100000' },
      'transition-moves': { type: 'string', default: '20000' },
      day: { type: 'string', default: FIRST_DAY },
      'cpu-prof': { type: 'string' },
      tsx: { type: 'boolean', default: false },
      'skip-build': { type: 'boolean', default: false },
      help: { type: 'boolean' },
    },
  })
  if (values.help) return void console.log(usage)
  const seconds = Number(values.duration)
  const connections = Number(values.connections)
  const rounds = Number(values.rounds)
  const rate = Number(values.rate)
  const warmUpRequests = Number(values['warm-up'])
  const whole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max
  if (
    !whole(seconds, 1, 60) ||
    !whole(connections, 1, 100) ||
    !whole(rounds, 1, 10) ||
    !(rate > 0 && rate <= 10_000) ||
    !whole(warmUpRequests, 0, 100_000)
  ) {
    throw new Error(
      `--duration is 1 to 60 seconds a slice, --connections 1 to 100, --rounds 1 to 10, --warm-up 0 to 100000 requests (whole numbers), --rate above 0 and at most 10000 a second\n${usage}`,
    )
  }
  const only = values.only ? new RegExp(values.only, 'i') : undefined
  const all = scenarios(rate).filter(s => !only || only.test(s.name))
  // Checked before anything starts: a run of no scenario would still warm both up and overwrite results.json.
  if (!all.length) {
    throw new Error(
      `--only ${values.only} matches no scenario; they are:\n${scenarios(rate)
        .map(s => `  ${s.name}`)
        .join('\n')}`,
    )
  }
  const started = Date.now()
  // The server runs as it is deployed, from the build (`npm run build`, `node dist/server.js`), unless --tsx.
  if (!values.tsx && !values['skip-build']) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  if (values.seed) await seed({ moves: Number(values.moves), transitionMoves: Number(values['transition-moves']) })

  const db = benchDb()
  const children: ChildProcess[] = []
  // However the run ends, nothing it started outlives it.
  const stopChildren = () => children.forEach(c => c.exitCode === null && c.kill('SIGKILL'))
  process.on('exit', stopChildren)
  // tsx runs this file in a child of its own process: should that be killed outright (SIGKILL, which tsx cannot
  // pass on), this process is handed to init and would go on loading the machine; it stops instead.
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) {
      console.error('the process that started the bench is gone; stopping')
      process.exit(1)
    }
  }, 1000).unref()
  const watchdog = setTimeout(
    () => {
      console.error('bench took longer than its time budget; stopping')
      stopChildren()
      process.exit(1)
    },
    // A slice with its wait for idle, per scenario and round; the warm-ups at no less than 50 requests a second.
    (all.length * 2 * rounds * (seconds + 5) + (2 * warmUpRequests) / 50 + 180) * 1000,
  ).unref()
  try {
    const monthEnd = addDays(values.day, 29)
    const counts = await db.raw(
      `select (select count(*) from moves where reference like 'B%') as moves,
              (select count(*) from moves where date = ?) as day_moves,
              (select count(*) from moves where date between ? and ?) as month_moves,
              (select count(*) from moves where date = ?) as busy_day_moves`,
      [values.day, values.day, monthEnd, TRANSITION_DAY],
    )
    const found = counts.rows[0] as Record<'moves' | 'day_moves' | 'month_moves' | 'busy_day_moves', string>
    if (!Number(found.moves)) throw new Error('no benchmark data: run `npm run bench -- --seed` first')
    // Each run starts from the tables as the seed left them, vacuumed: the accept -> start -> complete scenario
    // updates some 1,200 moves of the busy day a run, and an updated page is not all-visible again until a
    // vacuum, so the busy day's total, counted from the index, read 5,785 of its 20,000 rows from the table
    // after five runs and the busy day's page grew dearer from run to run. Within a run it still grows.
    await db.raw('vacuum moves, profiles, people')
    const requested = (await db('moves')
      .where({ date: TRANSITION_DAY, status: 'requested' })
      .orderBy('reference')
      .pluck('id')) as string[]
    const eventMove = (await db('moves').where({ date: values.day }).orderBy('reference').first('id')) as { id: string }
    const { client, clientSecret } = await createClient(db, {
      name: `bench-${Date.now()}`,
      roles: ['frontend', 'nomis'],
    })
    const issued = await issueToken(db, systemClock, 7200, client.clientId, clientSecret)

    const [serverPort, baselinePort] = [await freePort(), await freePort()]
    const server = spawnNode(
      'server.ts',
      {
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
      },
      {
        nodeOptions: [
          ...SERVER_NODE_OPTIONS,
          ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []),
        ],
        built: !values.tsx,
      },
    )
    children.push(server)
    const baseline = spawnNode('bench/baseline.ts', { DATABASE_URL: BENCH_DATABASE_URL, PORT: String(baselinePort) })
    children.push(baseline)
    const pacedClient = forkPacedClient()
    children.push(pacedClient)
    const ctx: BenchContext = {
      server: `http://127.0.0.1:${serverPort}`,
      baseline: `http://127.0.0.1:${baselinePort}`,
      token: issued!.access_token,
      day: values.day,
      monthEnd,
      busyDay: TRANSITION_DAY,
      nextMove: () => requested.shift(),
      eventMove: eventMove.id,
    }
    await waitUntilUp(`${ctx.server}/health`, server)
    await waitUntilUp(`${ctx.baseline}/moves?date_from=${ctx.day}`, baseline)
    const pids: Record<Target, number> = { server: server.pid!, baseline: baseline.pid! }
    const urls: Record<Target, string> = { server: ctx.server, baseline: ctx.baseline }

    const loadAverageBefore = os.loadavg().map(l => Math.round(l * 10) / 10)
    console.log(
      `${found.moves} moves: ${found.day_moves} on ${ctx.day}, ${found.month_moves} from it to ${monthEnd}, ` +
        `${found.busy_day_moves} on ${ctx.busyDay}; ${os.cpus().length} CPUs, load average ${loadAverageBefore.join(' ')}; ` +
        `${rounds} rounds of ${seconds} s a scenario; warming up`,
    )
    for (const target of ['server', 'baseline'] as const) {
      const warmUp = scenarios(rate).find(s => s.target === target)!
      // The figures are of a process that has served for a while, as a deployed one has: a fresh server's
      // first 500 pages cost 5.4 ms of its CPU each, the next 500 3.5, and only after some 3,000 does a page
      // settle at 2 to 2.8 ms (README, "Benchmark"). A few seconds of warming measured that in round 1.
      if (warmUpRequests > 0) {
        await autocannon({
          url: urls[target],
          connections,
          amount: warmUpRequests,
          timeout: 10,
          requests: warmUp.requests(ctx),
        })
      }
      // Then every mode warms up, the paced one too: a fresh loadtest process's first second measured 30
      // to 370 ms where the seconds after it mostly measured under 30.
      for (const mode of warmUp.modes) {
        await measure(urls[target], warmUp.requests(ctx), mode, 3, connections, pids[target], pacedClient)
      }
    }

    // Each scenario runs for a slice in every round, in turn with the others, so that a burst of
    // other work on the machine falls on all of them alike; each figure is the median of the rounds.
    const runs = []
    const skipped: { scenario: string; reason: string }[] = []
    for (const scenario of all) {
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
          pacedClient,
        )
        run.rounds.push(m)
        console.log(
          `round ${round}: ${scenario.name} [${m.mode}]: ${m.requestsPerSecond} req/s, p50 ${m.latencyP50Ms} ms, ` +
            `p99 ${m.latencyP99Ms} ms, ${m.non2xx} non-2xx, ${m.errors} errors, RSS ${m.peakRssMb} MB`,
        )
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const round2 = (n: number) => Math.round(n * 100) / 100
    const results: Measured[] = runs.map(({ scenario, rounds: measured }) => ({
      scenario: scenario.name,
      target: scenario.target,
      ...(scenario.range ? { range: scenario.range } : {}),
      mode: measured[0]!.mode,
      requestsPerSecond: median(measured.map(m => m.requestsPerSecond)),
      latencyP50Ms: median(measured.map(m => m.latencyP50Ms)),
      latencyP99Ms: median(measured.map(m => m.latencyP99Ms)),
      latencyP99MsByRound: measured.map(m => m.latencyP99Ms),
      requests: measured.reduce((sum, m) => sum + m.requests, 0),
      non2xx: measured.reduce((sum, m) => sum + m.non2xx, 0),
      errors: measured.reduce((sum, m) => sum + m.errors, 0),
      peakRssMb: Math.max(...measured.map(m => m.peakRssMb)),
    }))
    // The ratio of each round's pair (the slices ran close together), then the median of those ratios.
    for (const run of runs) {
      const { scenario } = run
      if (scenario.target !== 'server' || !scenario.range || run.mode.kind !== 'max') continue
      const raw = runs.find(r => r.scenario.target === 'baseline' && r.scenario.range === scenario.range)
      if (!raw) continue
      const ratios = run.rounds.map((m, i) => m.requestsPerSecond / raw.rounds[i]!.requestsPerSecond)
      const result = results.find(r => r.scenario === scenario.name && r.mode === run.rounds[0]!.mode)!
      result.ratio = round2(median(ratios))
    }
    const peakRss = {
      server: Math.round(peakRssMbEver(pids.server)),
      baseline: Math.round(peakRssMbEver(pids.baseline)),
    }

    const ours = (range: RangeKey) =>
      results.find(r => r.target === 'server' && r.range === range && r.mode.startsWith('max'))
    const targets: { target: string; value: number; met: boolean; floor?: boolean }[] = []
    const oneDay = ours('one day')
    const month = ours('30 days')
    const busy = ours('busy day')
    if (oneDay?.ratio !== undefined) {
      targets.push({
        target: 'move list, one day: >= 0.7 x raw baseline',
        value: oneDay.ratio,
        met: oneDay.ratio >= 0.7,
      })
    }
    if (month?.ratio !== undefined) {
      targets.push({ target: 'move list, 30 days: >= 0.6 x raw baseline', value: month.ratio, met: month.ratio >= 0.6 })
    }
    if (oneDay && busy) {
      const cost = round2(oneDay.requestsPerSecond / busy.requestsPerSecond)
      targets.push({
        target: `a page of the ${found.busy_day_moves}-move day costs <= 1.5 x a page of the ${found.day_moves}-move day`,
        value: cost,
        met: cost <= 1.5,
      })
    }
    const atRate = results.find(
      r => r.target === 'server' && r.range === 'one day' && r.mode === modeName({ kind: 'paced', rate }, connections),
    )
    if (atRate) {
      targets.push({
        target: `move list, one day: p99 < 50 ms at ${rate} req/s, evenly spaced`,
        value: atRate.latencyP99Ms,
        met: atRate.latencyP99Ms < 50,
      })
    }
    targets.push({ target: 'server peak RSS < 200 MB', value: peakRss.server, met: peakRss.server < 200 })

    console.log('')
    console.table(
      results.map(r => ({
        scenario: r.scenario.slice(0, 70),
        mode: r.mode,
        'req/s': r.requestsPerSecond,
        'p50 ms': r.latencyP50Ms,
        'p99 ms': r.latencyP99Ms,
        ratio: r.ratio ?? '',
        'non-2xx': r.non2xx + r.errors,
        'RSS MB': r.peakRssMb,
      })),
    )
    console.log(`peak RSS over the run: server ${peakRss.server} MB, baseline ${peakRss.baseline} MB`)
    for (const t of targets) console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.value}`)
    // A scenario that answered errors measured how fast we refuse, not the route: such a run is no result.
    const failed = results.filter(r => r.non2xx + r.errors > 0)
    if (failed.length) {
      console.error(`not a result: ${failed.map(r => r.scenario).join('; ')} answered non-2xx or failed`)
      process.exitCode = 1
    }

    const loadAverageAfter = os.loadavg().map(l => Math.round(l * 10) / 10)
    const options = [
      `--duration ${seconds}`,
      `--rounds ${rounds}`,
      `--connections ${connections}`,
      `--rate ${rate}`,
      `--warm-up ${warmUpRequests}`,
      ...(values.only ? [`--only '${values.only}'`] : []),
      ...(values.tsx ? ['--tsx'] : []),
      ...(values.seed ? [`--seed --moves ${values.moves} --transition-moves ${values['transition-moves']}`] : []),
    ]
    const out = {
      command: `npm run bench -- ${options.join(' ')}`,
      measuredAt: new Date().toISOString(),
      server: values.tsx ? 'node --import tsx server.ts' : 'node dist/server.js (npm run build)',
      durationSeconds: Math.round((Date.now() - started) / 1000),
      machine: {
        cpus: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        node: process.version,
        loadAverageBefore,
        loadAverageAfter,
      },
      data: {
        moves: Number(found.moves),
        day: ctx.day,
        movesOnDay: Number(found.day_moves),
        monthEnd,
        movesInMonth: Number(found.month_moves),
        busyDay: ctx.busyDay,
        movesOnBusyDay: Number(found.busy_day_moves),
      },
      results,
      skipped,
      peakRssMb: peakRss,
      targets,
    }
    fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(out, null, 2)}\n`)
    console.log(
      `load average ${loadAverageBefore.join(' ')} before, ${loadAverageAfter.join(' ')} after; ` +
        `${out.durationSeconds} s; written to bench/results.json`,
    )
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

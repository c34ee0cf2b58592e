/**
 * The paced load of `npm run bench` (bench/run.ts), in a process of its own that the run forks once and
 * keeps, so that it is warm when measuring. loadtest reads every answer whole into a string; sent from the
 * run's own process, among autocannon's results and the run's bookkeeping, that process made a full garbage
 * collection about every second, pausing up to 36 ms (`--trace-gc` on the run, 2026-12-01), and an answer
 * that arrives in a pause of the client is counted late. Alone, the client's heap is a few megabytes: over
 * 20 s at 150 req/s it paused at most 11 ms (one full collection).
 *
 * Messages: the run sends a {@link PacedSlice}; the process answers a {@link PacedResult}, or
 * `{ error }` with the message of what failed.
 */
import { loadTest, type LoadTestOptions, type LoadTestResult } from 'loadtest'

/** One slice: GET `url` with `headers`, `rate` requests a second, for `seconds`. */
export type PacedSlice = { url: string; headers: Record<string, string>; rate: number; seconds: number }

/** What a slice measured: latencies in ms; `non2xx` the answers of 300 or more, `errors` the failed requests. */
export type PacedResult = {
  requestsPerSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  requests: number
  non2xx: number
  errors: number
}

/**
 * Sends a slice with loadtest, open loop: a request starts on time even when earlier ones are still
 * outstanding (on a new connection when none is free), so a slow answer delays no other request's start
 * and its latency is counted in full.
 */
async function slice({ url, headers, rate, seconds }: PacedSlice): Promise<PacedResult> {
  const options: LoadTestOptions = {
    url,
    requestsPerSecond: rate,
    maxSeconds: seconds,
    headers,
    agentKeepAlive: true,
    quiet: true,
  }
  const result = await new Promise<LoadTestResult>((resolve, reject) =>
    loadTest(options, (error: unknown, answer: LoadTestResult) => (error ? reject(error) : resolve(answer))),
  )
  // loadtest counts an answer of 400 or more under its status code and a failed request under -1.
  const non2xx = Object.entries(result.errorCodes)
    .filter(([code]) => Number(code) >= 300)
    .reduce((sum, [, count]) => sum + count, 0)
  return {
    requestsPerSecond: Math.round(result.totalRequests / result.totalTimeSeconds),
    latencyP50Ms: result.percentiles[50]!,
    latencyP99Ms: result.percentiles[99]!,
    requests: result.totalRequests,
    non2xx,
    errors: result.totalErrors - non2xx,
  }
}

process.on('message', (message: PacedSlice) => {
  slice(message).then(
    result => process.send!(result),
    (error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) }),
  )
})
// The run ends this process; should the run die first, the closed channel ends it too.
process.on('disconnect', () => process.exit(0))

import type { Server } from 'node:http'
import { createApp } from './api/app'
import { createHttpServer } from './api/server'
import { createDb, migrate } from './db/client'
import { FrameworkFileError } from './lib/assessments/frameworkFiles'
import { FrameworkChangedError, loadFrameworks } from './lib/assessments/frameworkLoader'
import { seedDemoData } from './scripts/seeds'
import { systemClock } from './lib/clock'
import { ConfigError, loadConfig } from './lib/config'
import { createLogger } from './lib/log'
import { scheduledJobs } from './lib/scheduler/jobs'
import { Scheduler } from './lib/scheduler/scheduler'
import { createServices } from './lib/services'

async function main(): Promise<void> {
  const config = loadConfig()
  const log = createLogger(config.logLevel)
  const db = createDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    statementTimeoutMs: config.statementTimeoutMs,
    preparedStatementLimit: config.preparedStatementLimit,
  })
  await migrate(db)
  const frameworks = await loadFrameworks(db)
  if (frameworks.length) log.info({ frameworks }, 'framework versions loaded')
  const services = createServices({ db, config, clock: systemClock, log })
  // Before seeding: the demo prisoners' receptions publish their domain events on the queue.
  await services.queue.start()
  if (await seedDemoData(db, services)) log.info('demo data loaded into the empty database')
  if (config.eventsWorkerEnabled) await services.queue.work()
  const app = createApp(services)
  const scheduler = new Scheduler(db, log, scheduledJobs(services), services.jobRuns)
  if (config.cronEnabled) scheduler.start()

  const server: Server = createHttpServer(app).listen(config.port, config.host, () => {
    log.info({ port: config.port, host: config.host, embedded: !config.databaseUrl }, 'secure-move listening')
  })

  server.requestTimeout = config.requestTimeoutMs
  server.headersTimeout = Math.min(config.requestTimeoutMs, 60_000)

  /**
   * A stop: readiness turns DOWN, the listener closes (new connections are refused), idle keep-alive
   * sockets close at once and each busy one as soon as its response is sent, while the scheduler and
   * the queue workers stop taking work. What is still open after SHUTDOWN_TIMEOUT_MS is cut.
   */
  const shutdown = async (signal: string) => {
    if (services.lifecycle.stopping) return
    services.lifecycle.stopping = true
    log.info({ signal }, 'shutting down')
    const deadline = setTimeout(() => {
      log.warn('shutdown timed out; closing the remaining connections')
      server.closeAllConnections()
      process.exit(0)
    }, config.shutdownTimeoutMs).unref()
    const closed = new Promise<void>(resolve => server.close(() => resolve()))
    server.closeIdleConnections()
    const sweep = setInterval(() => server.closeIdleConnections(), 50)
    await Promise.all([
      scheduler.stop(),
      services.queue.stop(Math.max(config.shutdownTimeoutMs - 500, 100)),
      closed.finally(() => clearInterval(sweep)),
    ])
    await db.destroy()
    clearTimeout(deadline)
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch(err => {
  // A configuration problem or a bad framework file is the user's to fix: say what it is, without a stack trace.
  const theirs = err instanceof ConfigError || err instanceof FrameworkFileError || err instanceof FrameworkChangedError
  console.error(theirs ? err.message : err)
  process.exit(1)
})

import type { Server } from 'node:http'
import { createApp } from './api/app'
import { createHttpServer } from './api/server'
import { createDb, migrate } from './db/client'
import { seedDemoData } from './db/seeds'
import { systemClock } from './lib/clock'
import { loadConfig } from './lib/config'
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
  })
  await migrate(db)
  const services = createServices({ db, config, clock: systemClock, log })
  // Before seeding: the demo prisoners' receptions publish their domain events on the queue.
  await services.queue.start()
  if (await seedDemoData(db, services.queue)) log.info('demo data loaded into the empty database')
  if (config.eventsWorkerEnabled) await services.queue.work()
  const app = createApp(services)
  const scheduler = new Scheduler(db, log, scheduledJobs(services))
  if (config.cronEnabled) scheduler.start()

  const server: Server = createHttpServer(app).listen(config.port, config.host, () => {
    log.info({ port: config.port, host: config.host, embedded: !config.databaseUrl }, 'secure-move listening')
  })

  server.requestTimeout = config.requestTimeoutMs
  server.headersTimeout = Math.min(config.requestTimeoutMs, 60_000)

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'shutting down')
    await scheduler.stop()
    await services.queue.stop()
    server.close()
    server.closeIdleConnections()
    const force = setTimeout(() => server.closeAllConnections(), 10_000).unref()
    await new Promise<void>(resolve => server.on('close', () => resolve()))
    clearTimeout(force)
    await db.destroy()
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch(err => {
  console.error(err)
  process.exit(1)
})

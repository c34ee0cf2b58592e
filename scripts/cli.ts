import { createDb, DataDirInUseError, migrate, type Db } from '../db/client'
import { seedDemoData } from './seeds'
import { loadFrameworks } from '../lib/assessments/frameworkLoader'
import { systemClock } from '../lib/clock'
import { loadConfig } from '../lib/config'
import { createLogger } from '../lib/log'
import { createServices } from '../lib/services'

/** Opens the configured database (the same one `npm start` uses), migrated and with its frameworks loaded, for a one-off command. */
export async function openDatabase(): Promise<Db> {
  const config = loadConfig()
  let db: Db
  try {
    db = createDb({
      databaseUrl: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
      preparedStatementLimit: config.preparedStatementLimit,
    })
  } catch (err) {
    if (err instanceof DataDirInUseError) fail(err.message)
    throw err
  }
  await migrate(db)
  await loadFrameworks(db)
  return db
}

export function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

/**
 * Loads the demo data if the database is empty (false when it already has data). The demo
 * prisoners' record changes publish their domain events on the queue, so the queue is started first.
 */
export async function loadDemoData(db: Db): Promise<boolean> {
  const services = createServices({ db, config: loadConfig(), clock: systemClock, log: createLogger('warn') })
  await services.queue.start()
  try {
    return await seedDemoData(db, services)
  } finally {
    await services.queue.stop()
  }
}

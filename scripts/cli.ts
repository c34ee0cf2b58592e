import { createDb, DataDirInUseError, migrate, type Db } from '../db/client'
import { loadConfig } from '../lib/config'

/** Opens the configured database (the same one `npm start` uses), migrated, for a one-off command. */
export async function openDatabase(): Promise<Db> {
  const config = loadConfig()
  let db: Db
  try {
    db = createDb({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir })
  } catch (err) {
    if (err instanceof DataDirInUseError) fail(err.message)
    throw err
  }
  await migrate(db)
  return db
}

export function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

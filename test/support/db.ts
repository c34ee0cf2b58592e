import { randomBytes } from 'node:crypto'
import { createDb, migrate, type Db, type DbOptions } from '../../db/client'
import { loadFrameworks } from '../../lib/assessments/frameworkLoader'

export const onPostgres = Boolean(process.env.DATABASE_URL)

let shared: { db: Db; schema?: string } | undefined

/**
 * One database for the whole run, migrated and with the repository's frameworks loaded: in-memory PGlite by default, or a fresh schema on the
 * PostgreSQL of DATABASE_URL, dropped again at the end. The demo data is loaded by testServices,
 * once the queue its record changes publish on is started. Tests share it, so each creates the
 * rows it asserts on rather than counting on empty tables.
 */
export async function testDb(): Promise<Db> {
  if (!shared) {
    const schema = onPostgres ? `test_${process.pid}_${randomBytes(4).toString('hex')}` : undefined
    const db = createDb({ databaseUrl: process.env.DATABASE_URL, schema, poolMax: 25 })
    await migrate(db)
    await loadFrameworks(db)
    shared = { db, schema }
  }
  return shared.db
}

/** The schema the run works in on PostgreSQL, where the queue keeps its tables too so that the run leaves nothing behind. */
export function testSchema(): string | undefined {
  return shared?.schema
}

/** A second client on the same database, as a second server instance would have. */
export function secondConnection(
  options: Pick<DbOptions, 'statementTimeoutMs' | 'poolMax' | 'preparedStatementLimit'> = {},
): Db {
  if (!shared || !onPostgres) throw new Error('a second connection needs PostgreSQL')
  return createDb({ databaseUrl: process.env.DATABASE_URL, schema: shared.schema, poolMax: 5, ...options })
}

export async function closeTestDb(): Promise<void> {
  if (!shared) return
  const { db, schema } = shared
  shared = undefined
  if (schema) await db.raw(`DROP SCHEMA ${schema} CASCADE`)
  await db.destroy()
}

/** The texts of the SQL statements `work` sends through `db` (every connection of its pool), in order. */
export async function captureQueries(services: { db: Db }, work: () => Promise<unknown>): Promise<string[]> {
  const texts: string[] = []
  const listener = (query: { sql: string }) => texts.push(query.sql)
  services.db.on('query', listener)
  try {
    await work()
  } finally {
    services.db.removeListener('query', listener)
  }
  return texts
}

/** The number of SQL statements `work` sends through `db` (every connection of its pool). */
export async function countQueries(services: { db: Db }, work: () => Promise<unknown>): Promise<number> {
  return (await captureQueries(services, work)).length
}

import fs from 'node:fs'
import path from 'node:path'
import knex, { type Knex } from 'knex'
import type ClientPgLiteClass from 'knex-pglite'
import type { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { DEFAULT_PREPARED_STATEMENT_LIMIT, PostgresClient, PreparedStatements, type PostgresConfig } from './prepared'

export type Db = Knex
export type Tx = Knex | Knex.Transaction

export type DbOptions = {
  /** A postgres:// URL; without it the embedded PGlite database is used. */
  databaseUrl?: string
  /** Where PGlite keeps its files; omitted means in memory. */
  dataDir?: string
  /** A schema to create and work in (tests use one each so that they leave nothing behind). */
  schema?: string
  poolMax?: number
  /** Postgres cancels any statement running longer than this (ms), so no request holds a connection forever. */
  statementTimeoutMs?: number
  /**
   * The most distinct statement texts this database prepares on PostgreSQL (db/prepared.ts); default
   * DEFAULT_PREPARED_STATEMENT_LIMIT, 0 for none. PGlite prepares none whatever this says.
   */
  preparedStatementLimit?: number
}

// int8 (counts, sums) as JS numbers on pg, as PGlite already does; our values stay far below 2^53.
pg.types.setTypeParser(20, value => Number(value))
// date columns stay YYYY-MM-DD strings: a Date would shift them through the server's time zone.
pg.types.setTypeParser(1082, value => value)

export const migrationsDirectory = path.join(__dirname, 'migrations')

export function isEmbedded(db: Db): boolean {
  // createDb gives PostgreSQL our PostgresClient; the embedded database has knex-pglite's.
  return !(db.client instanceof PostgresClient)
}

export function createDb(options: DbOptions): Db {
  const schema = options.schema
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`)
  if (options.databaseUrl) {
    const config: PostgresConfig = {
      client: PostgresClient,
      preparedStatements: new PreparedStatements(options.preparedStatementLimit ?? DEFAULT_PREPARED_STATEMENT_LIMIT),
      connection: options.databaseUrl,
      searchPath: schema ? [schema, 'public'] : undefined,
      pool: {
        min: 0,
        max: options.poolMax ?? 10,
        afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
          const timeout = Math.trunc(options.statementTimeoutMs ?? 15_000)
          // No JIT: our statements are short, and a supplier's or a sorted list's subplans cost enough in
          // estimate to cross jit_above_cost, where compiling took 50 ms of a statement that runs in 10.
          const settings = `SET TIME ZONE 'UTC'; SET statement_timeout = ${timeout}; SET jit = off`
          const sql = schema ? `CREATE SCHEMA IF NOT EXISTS ${schema}; ${settings}` : settings
          conn.query(sql).then(
            () => done(null, conn),
            (err: Error) => done(err, conn),
          )
        },
      },
      migrations: { schemaName: schema },
    }
    return knex(config)
  }
  if (options.dataDir) lockDataDir(options.dataDir)
  // Loaded here, not at the top: a service on PostgreSQL does not carry PGlite's code (a megabyte of heap).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ClientPgLite = require('knex-pglite') as typeof ClientPgLiteClass
  return knex({
    client: ClientPgLite,
    dialect: 'postgres',
    connection: options.dataDir ? { filename: path.join(options.dataDir, 'pg') } : {},
  } as Knex.Config)
}

export class DataDirInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * PGlite's files belong to one process at a time; a second opener would corrupt them. A pid file
 * makes the second process (say, `npm run clients:create` while the server runs) stop with a clear
 * message instead. A lock left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockFile = path.join(dataDir, 'pg.pid')
  const holder = Number(fs.existsSync(lockFile) ? fs.readFileSync(lockFile, 'utf8') : NaN)
  if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
    throw new DataDirInUseError(
      `the embedded database in ${dataDir} is in use by process ${holder}; stop it first, or set DATABASE_URL to share a PostgreSQL server`,
    )
  }
  fs.writeFileSync(lockFile, String(process.pid))
  process.once('exit', () => {
    if (fs.existsSync(lockFile) && fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.rmSync(lockFile)
  })
}

/**
 * Migrations are known by their source name (`..._platform.ts`) whether they run from TypeScript
 * (`npm start`) or from the build (`node dist/server.js`), so one database serves both; knex's
 * own source records the file's extension and would call the other's history corrupt.
 */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs
      .readdirSync(migrationsDirectory)
      .filter(file => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
      .sort()
  },
  getMigrationName: file => file.replace(/\.js$/, '.ts'),
  getMigration: file => import(path.join(migrationsDirectory, file)),
}

/**
 * Brings the schema to the latest migration. On PGlite it then has PGlite read the array types again:
 * PGlite serializes an array parameter by its type, known from the types there were when it opened, and
 * sends any other as `a,b` (an enum's array made by a migration: `location_type = any($1)` would be
 * "malformed array literal"); node-postgres writes every array as an array literal.
 */
export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource, schemaName: db.client.config.migrations?.schemaName })
  if (isEmbedded(db)) await (db.client as Knex.Client & { pglite: PGlite }).pglite.refreshArrayTypes()
}

/** Rows a DELETE touched: knex-pglite hands back its raw result where knex's pg client gives a count. */
export async function deleted(query: PromiseLike<unknown>): Promise<number> {
  const result = (await query) as number | { affectedRows?: number }
  return typeof result === 'number' ? result : (result.affectedRows ?? 0)
}

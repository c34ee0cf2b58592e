import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import type pg from 'pg'

/**
 * How many distinct statement texts a process prepares on PostgreSQL unless told otherwise. Every
 * connection keeps each text it has run prepared until it closes, node-postgres remembering the name and
 * the backend its parse tree and plans (measured on PostgreSQL 15: some 20 kB for the locations loader,
 * 150 kB for a move list's page), so the worst case is this many statements on every connection of the
 * pool: were all 50 a list's page, some 75 MB of the database server's memory on 10 connections; since
 * list pages take at most half of the places (see {@link PreparedStatements}), under 40 MB of pages.
 */
export const DEFAULT_PREPARED_STATEMENT_LIMIT = 50

/**
 * Whether a statement's text is the same whatever a client sends ('fixed': a loader taking its ids as
 * one array, a claim, a transition, whose variants our code alone decides) or changes with what the
 * client asks ('varies': a list's page, its filters and page size written into the text).
 */
export type StatementText = 'fixed' | 'varies'

/**
 * The statement texts this process has let PostgreSQL keep prepared, each under a name derived from
 * its text (node-postgres refuses two texts under one name on a connection). Texts take places as they
 * come and keep them; a text after the places are gone runs unnamed, parsed and planned each time as
 * any other statement is. A client can vary a list's filters and page size to make as many texts as it
 * likes: without the limit each would stay in every backend's memory. Texts that vary take at most
 * half of the places (rounded down), so that whatever clients send the other half stays for the fixed
 * texts every request runs (the locations loader, the idempotency claim, a transition, the outbox),
 * whose number our code bounds, not clients. Which kind a text is, its caller says (see {@link prepared}).
 */
export class PreparedStatements {
  private readonly names = new Map<string, string>()
  private varying = 0

  /** @param limit the most distinct texts ever prepared; 0 prepares none. */
  constructor(readonly limit: number) {}

  /** The name `text` is prepared under, or undefined when it is to run unnamed. */
  nameFor(text: string, kind: StatementText): string | undefined {
    let name = this.names.get(text)
    if (name !== undefined || this.names.size >= this.limit) return name
    if (kind === 'varies') {
      if (this.varying >= Math.floor(this.limit / 2)) return undefined
      this.varying++
    }
    // PostgreSQL truncates names at 63 bytes: 'p' and 40 hex digits fit.
    name = `p${createHash('sha1').update(text).digest('hex')}`
    this.names.set(text, name)
    return name
  }
}

/**
 * Asks for `query` to run as a named prepared statement on PostgreSQL, so that each connection parses
 * and analyses its text once and PostgreSQL may settle on one generic plan for it (after five custom
 * ones, when the generic plan's estimate is no dearer). Worth it where a statement with the same text
 * runs again and again (a list's page, the loaders of its includes); `text` says whether the text can
 * change with what a client sends (see {@link PreparedStatements}, which keeps places for the fixed
 * ones). Give a list of values as one array ({@link whereAnyValue}), not a value each, so that their
 * number makes no new text. Only for a statement that names its columns: a migration adding a column
 * under a prepared `select *` (another instance migrating while this one runs) makes PostgreSQL refuse
 * it with "cached plan must not change result type". PGlite has no named statements: knex-pglite hands
 * the option to PGlite's query, which ignores it.
 */
export function prepared<Q extends Knex.QueryBuilder>(query: Q, text: StatementText): Q {
  return query.options({ prepare: text }) as Q
}

/**
 * Narrows `query` to the rows whose `column` (knex's `table.column`) is one of `values`, sent as one
 * array parameter (`column = any($1)`) rather than a parameter each (`in ($1, $2, ...)`): the text is
 * then the same whatever their number, as a prepared statement needs. PostgreSQL gives the parameter
 * the array type of the column (uuid[], bigint[], an enum's), so a value the type refuses is the same
 * data exception (22P02) as in `in (...)`; no values match no row. On PGlite the enums' array types
 * must be known to it (`migrate` in db/client.ts refreshes them).
 */
export function whereAnyValue<Q extends Knex.QueryBuilder>(query: Q, column: string, values: readonly string[]): Q {
  return query.whereRaw('?? = any(?)', [column, [...values]]) as Q
}

/** What knex hands its PostgreSQL client to run: positional SQL, its values, and the query's `.options()`. */
type CompiledQuery = { sql: string; bindings: unknown[]; options?: Record<string, unknown> }

type KnexPgClient = Knex.Client & { _query(connection: pg.Client, obj: CompiledQuery): Promise<CompiledQuery> }

// knex's own PostgreSQL client, as knex-pglite extends it too; knex's typings do not export the class.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const KnexPostgresClient = require('knex/lib/dialects/postgres/index.js') as Omit<typeof Knex.Client, 'prototype'> &
  (new (config: Knex.Config) => KnexPgClient)

/** The knex configuration of a {@link PostgresClient}: knex's own and the process's prepared statements. */
export type PostgresConfig = Knex.Config & { preparedStatements: PreparedStatements }

/**
 * knex's PostgreSQL client (node-postgres), with the queries that ask for it (see {@link prepared})
 * sent under their text's name while {@link PreparedStatements} has one for it; knex's pg client
 * passes a query's options on to node-postgres, which parses a named text once per connection.
 */
export class PostgresClient extends KnexPostgresClient {
  declare config: PostgresConfig

  constructor(config: PostgresConfig) {
    super(config)
  }

  override _query(connection: pg.Client, obj: CompiledQuery): Promise<CompiledQuery> {
    const prepare = obj.options?.prepare as StatementText | undefined
    if (prepare) {
      const { prepare: _prepare, ...options } = obj.options!
      // From the config: a transaction's client is a copy of this one that keeps only the config and a few others.
      const name = this.config.preparedStatements.nameFor(obj.sql, prepare)
      obj.options = name ? { ...options, name } : options
    }
    return super._query(connection, obj)
  }
}

import path from 'node:path'
import ClientPgLite from 'knex-pglite'
import type { Knex } from 'knex'

// For the knex CLI only; the service itself builds its client in db/client.ts from the same settings.
const config: Knex.Config = process.env.DATABASE_URL
  ? { client: 'pg', connection: process.env.DATABASE_URL }
  : {
      client: ClientPgLite,
      connection: { filename: path.join(path.resolve(process.env.DATA_DIR || './.data'), 'pg') },
    }

export default {
  ...config,
  migrations: { directory: './db/migrations', extension: 'ts', loadExtensions: ['.ts'] },
} satisfies Knex.Config

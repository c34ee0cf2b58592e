import { version } from '../../package.json'
import { listEvents } from '../../lib/nomis/events'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'
import { input } from '../typedInput'

export function nomisSystemHandlers(services: Services): HandlerTable {
  const { db } = services
  return {
    listNomisEvents: async (req, res) => {
      const { query } = input(req, 'listNomisEvents')
      res.json(
        await listEvents(db, {
          prisonId: query.prison_id,
          offenderId: query.offender_id,
          eventType: query.event_type,
          fromDatetime: query.from_datetime,
          limit: query.limit ?? 100,
        }),
      )
    },

    getNomisVersion: async (req, res) => {
      const info = {
        'api-version': version,
        'build-timestamp': services.startedAt.toISOString().replace('T', ' ').slice(0, 19),
      }
      if (input(req, 'getNomisVersion').query.show !== 'database') {
        res.json(info)
        return
      }
      // Our database's "packages" are its migrations: what is applied, and when.
      const database = await db.raw(`select current_database() as name, version() as server`)
      const migrations: { name: string; migration_time: Date }[] = await db('knex_migrations')
        .orderBy('id')
        .select('name', 'migration_time')
      res.json({
        ...info,
        'database-name': database.rows[0].name,
        'database-release-levels': {
          'DB Server': database.rows[0].server,
          'Schema Level': migrations.at(-1)?.name ?? null,
        },
        'database-packages': migrations.map(m => ({
          owner: 'secure-move',
          package: m.name,
          valid: true,
          version: new Date(m.migration_time).toISOString().slice(0, 10),
        })),
      })
    },
  }
}

import type { Response } from 'express'
import { version } from '../../package.json'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'

type Status = 'UP' | 'DOWN'
type Component = { status: Status; details?: Record<string, unknown> }

const up = (ok: boolean): Status => (ok ? 'UP' : 'DOWN')

/** Seconds since the services were composed, on the services' clock. */
function uptime(services: Services): number {
  return Math.floor((services.clock.now().getTime() - services.startedAt.getTime()) / 1000)
}

async function database(services: Services): Promise<Component> {
  return services.db.raw('select 1').then(
    () => ({ status: 'UP' as const, details: { database: services.config.databaseUrl ? 'PostgreSQL' : 'PGlite' } }),
    // Unauthenticated: the reason stays in the logs, not in the answer.
    () => ({ status: 'DOWN' as const }),
  )
}

/**
 * The components of /health, named as the HMPPS Kotlin services name theirs: `db`, one
 * `<queue>-health` per queue with hmpps-sqs's depth details (a dead-lettered message does not make the
 * queue DOWN; an unreadable queue does), and `scheduler` with each job's last run in this process.
 */
async function components(services: Services): Promise<Record<string, Component>> {
  const result: Record<string, Component> = { db: await database(services) }
  for (const name of services.queue.names()) {
    result[`${name}-health`] = await services.queue.depth(name).then(
      details => ({ status: 'UP' as const, details }),
      () => ({ status: 'DOWN' as const, details: { queueName: name } }),
    )
  }
  result.scheduler = {
    status: 'UP',
    details: { enabled: services.config.cronEnabled, jobs: Object.fromEntries(services.jobRuns) },
  }
  return result
}

function statusOnly(res: Response, status: Status): void {
  res.status(status === 'UP' ? 200 : 503).json({ status })
}

/**
 * Health and information in the shapes HMPPS services answer (hmpps-template-typescript and the
 * Kotlin template): 200 when UP, 503 when DOWN. Our own rather than @ministryofjustice/hmpps-monitoring,
 * whose middleware answers 500 for DOWN, has no liveness or readiness, and needs superagent for the
 * HTTP components we do not have.
 */
export function operationsHandlers(services: Services): HandlerTable {
  return {
    getHealth: async (_req, res) => {
      const all = await components(services)
      const status = up(Object.values(all).every(c => c.status === 'UP'))
      res.status(status === 'UP' ? 200 : 503).json({
        status,
        components: all,
        uptime: uptime(services),
        build: { buildNumber: services.config.buildNumber, gitRef: services.config.gitSha },
        version,
      })
    },
    getHealthPing: async (_req, res) => statusOnly(res, 'UP'),
    getHealthLiveness: async (_req, res) => statusOnly(res, 'UP'),
    getHealthReadiness: async (_req, res) => {
      const ready = !services.lifecycle.stopping && (await database(services)).status === 'UP'
      statusOnly(res, up(ready))
    },
    getPing: async (_req, res) => {
      res.type('text/plain').send('pong')
    },
    getInfo: async (_req, res) => {
      res.json({
        git: { branch: services.config.gitBranch, commit: { id: services.config.gitSha } },
        build: {
          artifact: 'secure-move',
          name: 'secure-move',
          version,
          buildNumber: services.config.buildNumber,
        },
        uptime: uptime(services),
      })
    },
  }
}

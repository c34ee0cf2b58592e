import { version } from '../../package.json'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'

export function operationsHandlers(services: Services): HandlerTable {
  return {
    getHealth: async (_req, res) => {
      const database = await services.db
        .raw('select 1')
        .then(() => 'UP' as const)
        .catch(() => 'DOWN' as const)
      res.status(database === 'UP' ? 200 : 503).json({ status: database, database })
    },
    getPing: async (_req, res) => {
      res.type('text/plain').send('pong')
    },
    getInfo: async (_req, res) => {
      res.json({
        name: 'secure-move',
        version,
        git_sha: services.config.gitSha,
        uptime_seconds: Math.round((services.clock.now().getTime() - services.startedAt.getTime()) / 1000),
      })
    },
  }
}

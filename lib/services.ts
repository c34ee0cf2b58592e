import type { Db } from '../db/client'
import { TokenCache } from './auth/clients'
import type { Clock } from './clock'
import type { Config } from './config'
import { IdempotencyStore } from './idempotency/store'
import type { Logger } from './log'
import { Queue } from './queue/queue'
import { domainEventsQueue, setDomainEventPublisher } from './visits/events'

/** The composition root's ingredients: everything a handler or job may use. */
export function createServices(deps: { db: Db; config: Config; clock: Clock; log: Logger; startedAt?: Date }) {
  const queue = new Queue(deps.db, {
    schema: deps.config.queueSchema,
    log: deps.log,
    // Maintenance (expiring stuck jobs, archiving) belongs to the long-running server, not to tests.
    supervise: deps.config.nodeEnv !== 'test',
    pollingIntervalSeconds: deps.config.eventsPollingSeconds,
    onStarted: () => setDomainEventPublisher(queue, deps.clock),
  })
  queue.define(domainEventsQueue(deps))
  return {
    ...deps,
    startedAt: deps.startedAt ?? deps.clock.now(),
    tokens: new TokenCache(deps.clock, deps.config.authCacheSeconds * 1000),
    idempotency: new IdempotencyStore(deps.db, deps.clock, deps.config.idempotencyLockSeconds),
    queue,
  }
}

export type Services = ReturnType<typeof createServices>

import type { Db } from '../db/client'
import { TokenCache } from './auth/clients'
import type { Clock } from './clock'
import type { Config } from './config'
import { IdempotencyStore } from './idempotency/store'
import type { Logger } from './log'
import { notificationsQueue } from './notifications/delivery'
import { Outbox } from './notifications/outbox'
import { subscriptionKey } from './notifications/secrets'
import { Queue } from './queue/queue'
import type { JobRuns } from './scheduler/scheduler'
import { DomainEventPublisher, domainEventsQueue } from './visits/events'

/** The composition root's ingredients: everything a handler or job may use. */
export function createServices(deps: { db: Db; config: Config; clock: Clock; log: Logger; startedAt?: Date }) {
  const queue = new Queue(deps.db, {
    schema: deps.config.queueSchema,
    log: deps.log,
    // Maintenance (expiring stuck jobs, archiving) belongs to the long-running server, not to tests.
    supervise: deps.config.nodeEnv !== 'test',
    pollingIntervalSeconds: deps.config.eventsPollingSeconds,
  })
  // Both send on the queue inside the caller's transaction; sending before the queue has started throws.
  const outbox = new Outbox(queue)
  const events = new DomainEventPublisher(queue, deps.clock)
  queue.define(domainEventsQueue(deps))
  let key: Buffer | undefined
  const secretKey = () => (key ??= subscriptionKey(deps.config))
  queue.define(notificationsQueue({ ...deps, key: secretKey, outbox }))
  return {
    ...deps,
    startedAt: deps.startedAt ?? deps.clock.now(),
    tokens: new TokenCache(deps.clock, deps.config.authCacheSeconds * 1000),
    idempotency: new IdempotencyStore(deps.db, deps.clock, deps.config.idempotencyLockSeconds),
    queue,
    outbox,
    events,
    secretKey,
    /** Set when the process begins to stop: readiness turns DOWN so that no new work is routed here. */
    lifecycle: { stopping: false },
    jobRuns: new Map() as JobRuns,
  }
}

export type Services = ReturnType<typeof createServices>

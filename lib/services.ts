import type { Db } from '../db/client'
import type { Clock } from './clock'
import type { Config } from './config'
import { IdempotencyStore } from './idempotency/store'
import type { Logger } from './log'

/** The composition root's ingredients: everything a handler or job may use. */
export function createServices(deps: { db: Db; config: Config; clock: Clock; log: Logger; startedAt?: Date }) {
  return {
    ...deps,
    startedAt: deps.startedAt ?? deps.clock.now(),
    idempotency: new IdempotencyStore(deps.db, deps.clock, deps.config.idempotencyLockSeconds),
  }
}

export type Services = ReturnType<typeof createServices>

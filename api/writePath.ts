import type { Request, Response } from 'express'
import type { Services } from '../lib/services'
import {
  client,
  isWrite,
  send,
  sendStored,
  stored,
  type Handler,
  type HandlerTable,
  type WriteHandler,
} from './context'
import type { Operation } from './openapi'
import { claimIdempotencyKey } from './setUpIdempotency'

/** The methods that change state: every operation of a route family with one of these is a write. */
const WRITE_METHODS = ['post', 'put', 'patch', 'delete']

/**
 * A search: a POST that only reads, because its filter is too long for a query string
 * (`POST /api/moves/filtered`), or one that openapi.yaml says changes nothing (`x-write-scope: none`,
 * such as the CSV export). It is answered as a read, outside any transaction.
 */
const isSearch = (path: string, operation: Operation) =>
  path.endsWith('/filtered') || (operation['x-write-scope'] as { resource?: string } | undefined)?.resource === 'none'

/**
 * The one write path, which the router puts around every write handler: claims the Idempotency-Key
 * where the operation is idempotent (openapi.yaml's `x-idempotent`), replaying a finished request's
 * answer; opens ONE transaction; runs the handler in it with the write context; stores the answer
 * with the key in that same transaction; commits; starts what the handler left for after the commit;
 * and only then sends. When anything fails the transaction rolls back, so nothing the handler wrote
 * is kept, and the key is released so that a corrected retry can use it; the error goes on to the
 * family's error handler.
 *
 * Authorisation (the bearer token, then the operation's roles) has run before, as middleware.
 */
export function writePath(services: Services, handler: WriteHandler, options: { idempotent: boolean }): Handler {
  return async (req: Request, res: Response) => {
    const claim = options.idempotent ? await claimIdempotencyKey(services, req) : undefined
    if (claim && 'replay' in claim) {
      res.setHeader('Idempotent-Replayed', 'true')
      return sendStored(res, claim.replay)
    }
    const committed: (() => void)[] = []
    try {
      const response = await services.db.transaction(async tx => {
        const answer = await handler(req, {
          tx,
          clock: services.clock,
          outbox: services.outbox,
          events: services.events,
          client: client(req),
          afterCommit: work => committed.push(work),
        })
        if (claim) await services.idempotency.complete(tx, claim.id, stored(req, answer))
        return answer
      })
      for (const work of committed) work()
      send(res, response)
    } catch (err) {
      if (claim) await services.idempotency.release(claim.id)
      throw err
    }
  }
}

/**
 * The router's choice for one operation of openapi.yaml: a write handler runs in the write path, a
 * read as it is. Throws at start-up when a state-changing operation of a route family (any POST,
 * PUT, PATCH or DELETE but a search), or an idempotent one, has a read handler: it would change
 * state outside the one transaction.
 */
export function routeOperation(
  services: Services,
  declared: { path: string; method: string; operation: Operation },
  handlers: HandlerTable,
  routeFamilies: string[],
): Handler {
  const { path, method, operation } = declared
  const entry = handlers[operation.operationId!]!
  if (isWrite(entry)) return writePath(services, entry.write, { idempotent: operation['x-idempotent'] === true })
  const inFamily = routeFamilies.some(family => path.startsWith(`${family}/`))
  if (operation['x-idempotent'] || (inFamily && WRITE_METHODS.includes(method) && !isSearch(path, operation))) {
    throw new Error(
      `${operation.operationId} (${method.toUpperCase()} ${path}) changes state: its handler must be a write`,
    )
  }
  return entry
}

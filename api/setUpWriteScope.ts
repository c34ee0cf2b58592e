import type { NextFunction, Request, Response } from 'express'
import { authoriseWrite, isBookingClient, WRITE_SCOPE_RESOURCES, type WriteScope } from '../lib/auth/writeScope'
import { DomainError } from '../lib/errors'
import type { Services } from '../lib/services'
import { operations, type OpenApiDocument } from './openapi'
import type { MatchedOperation } from './operationMatch'

type Match = (method: string, path: string) => MatchedOperation | undefined

const WRITE_METHODS = ['post', 'put', 'patch', 'delete']

/** What is wrong with an operation's `x-write-scope`, or undefined when it is well formed. */
function scopeProblem(path: string, scope: unknown): string | undefined {
  if (!scope || typeof scope !== 'object') return 'no x-write-scope'
  const { resource, parameter, within } = scope as Record<string, unknown>
  if (!(WRITE_SCOPE_RESOURCES as readonly unknown[]).includes(resource)) return `unknown resource ${String(resource)}`
  if (resource === 'new' || resource === 'none') return undefined
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map(m => m[1])
  if (!names.includes(parameter as string)) return `parameter ${String(parameter)} is not in the path`
  if (resource === 'profile' && !names.includes(within as string)) return `within ${String(within)} is not in the path`
  return undefined
}

/**
 * Refuses to build the app when a write operation of `/api` (POST, PUT, PATCH, DELETE) does not say
 * in openapi.yaml what it changes (`x-write-scope`), so that a new route cannot skip the supplier's
 * write scope by being forgotten.
 */
export function checkWriteScopes(spec: OpenApiDocument): void {
  const problems = operations(spec)
    .filter(o => o.path.startsWith('/api/') && WRITE_METHODS.includes(o.method))
    .map(o => ({ id: o.operation.operationId, problem: scopeProblem(o.path, o.operation['x-write-scope']) }))
    .filter(p => p.problem)
  if (problems.length) {
    throw new Error(
      `openapi.yaml: write operations of /api without a valid x-write-scope: ${problems.map(p => `${p.id} (${p.problem})`).join(', ')}`,
    )
  }
}

function decoded(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    return decodeURIComponent(value)
  } catch {
    return undefined
  }
}

/**
 * `/api` is for booking clients: a supplier's, or one with the `frontend` role (lib/auth/writeScope
 * isBookingClient). An operation that declares its own roles (`x-roles`) has had them checked
 * already (setUpRoles) and is left to them. Runs before the body is read, as setUpRoles does.
 */
export function requireBookingClient(match: Match) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const matched = match(req.method, req.baseUrl + req.path)
    if (matched && !matched.operation['x-roles']?.length && req.apiClient && !isBookingClient(req.apiClient)) {
      throw new DomainError('forbidden', "/api needs a supplier's client or one with the frontend role")
    }
    next()
  }
}

/**
 * A supplier's write scope (lib/auth/writeScope authoriseWrite), checked once the client is known
 * and before the body is read or an idempotency key claimed: what the operation changes comes from
 * its `x-write-scope` and the path alone, so a refusal (404 unseen, 403 seen but not its own) is the
 * same whatever is sent, and nothing is changed or stored.
 */
export function requireWriteScope(services: Services, match: Match) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const matched = match(req.method, req.baseUrl + req.path)
    const scope = matched?.operation['x-write-scope'] as WriteScope | undefined
    if (!matched || !scope || !req.apiClient) return next()
    if (scope.resource === 'new' || scope.resource === 'none') return next()
    const id = decoded(matched.pathParameters[scope.parameter])
    const within = scope.resource === 'profile' ? decoded(matched.pathParameters[scope.within]) : undefined
    if (id === undefined || (scope.resource === 'profile' && within === undefined)) return next()
    await authoriseWrite(services.db, req.apiClient, { resource: scope.resource, id, within })
    next()
  }
}

import type { Request } from 'express'
import { DomainError, member } from '../lib/errors'
import type { operations } from './contract'

type ResourceBody = {
  data: {
    type: string
    id?: string
    attributes?: Record<string, unknown>
    relationships?: Record<string, { data: unknown }>
  }
}

/**
 * The resource in a write's body. A type the endpoint does not take (or another id than the
 * URL's) is a 409 conflict, as JSON:API requires, not a validation error.
 */
export function resourceBody(req: Request, type: string | readonly string[], id?: string): ResourceBody['data'] {
  const body = req.body as ResourceBody
  refuseConflict(body.data, type, id)
  return body.data
}

function refuseConflict(data: { type: string; id?: string }, type: string | readonly string[], id?: string): void {
  const types = typeof type === 'string' ? [type] : type
  if (!types.includes(data.type)) {
    throw new DomainError('type_conflict', `data.type must be ${types.join(' or ')}`, {
      subject: member('data', 'type'),
    })
  }
  if (id !== undefined && data.id !== undefined && data.id !== id) {
    throw new DomainError('type_conflict', 'data.id does not match the URL', { subject: member('data', 'id') })
  }
}

/** The JSON:API request body openapi.yaml declares for an operation. */
export type ContractBody<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/vnd.api+json': infer Body } }
}
  ? Body
  : never

/**
 * The resource of operation `Op`'s body (named as the type argument), typed from the contract. express-openapi-validator has already
 * checked the body against openapi.yaml (422 at the member otherwise), so only what JSON:API makes a 409
 * remains: a `data.type` other than the endpoint's, or a `data.id` other than the URL's. The contract leaves
 * `data.type` a plain string on purpose, so that this stays a conflict rather than a validation error.
 * Undeclared attributes are in the object but not in its type: read members by name, never spread them.
 */
export function contractResource<Op extends keyof operations>(
  req: Request,
  type: string | readonly string[],
  id?: string,
): ContractBody<Op> extends { data: infer Data } ? Data : never {
  const data = (req.body as { data: { type: string; id?: string } }).data
  refuseConflict(data, type, id)
  return data as ContractBody<Op> extends { data: infer Data } ? Data : never
}

/**
 * The filter of a search (`POST .../filtered`), absent meaning none. The operation's schema has
 * already checked `data.type` and that the filter is an object naming only known filters.
 */
export function searchFilter(req: Request): Record<string, unknown> {
  const body = req.body as { data: { attributes?: { filter?: Record<string, unknown> } } }
  return body.data.attributes?.filter ?? {}
}

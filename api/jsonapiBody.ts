import type { Request } from 'express'
import { DomainError, member } from '../lib/errors'

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
  const types = typeof type === 'string' ? [type] : type
  if (!types.includes(body.data.type)) {
    throw new DomainError('type_conflict', `data.type must be ${types.join(' or ')}`, {
      subject: member('data', 'type'),
    })
  }
  if (id !== undefined && body.data.id !== undefined && body.data.id !== id) {
    throw new DomainError('type_conflict', 'data.id does not match the URL', { subject: member('data', 'id') })
  }
  return body.data
}

export function requireRole(req: Request, role: string): void {
  if (!req.apiClient?.roles.includes(role)) {
    throw new DomainError('forbidden', `This request needs a client with the ${role} role`)
  }
}

/**
 * The filter of a search (`POST .../filtered`), absent meaning none. The operation's schema has
 * already checked `data.type` and that the filter is an object naming only known filters.
 */
export function searchFilter(req: Request): Record<string, unknown> {
  const body = req.body as { data: { attributes?: { filter?: Record<string, unknown> } } }
  return body.data.attributes?.filter ?? {}
}

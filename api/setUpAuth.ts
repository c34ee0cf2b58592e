import type { NextFunction, Request, Response } from 'express'
import { DomainError } from '../lib/errors'
import type { Services } from '../lib/services'

function bearerToken(req: Request): string | undefined {
  const match = req.get('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)
  return match?.[1]
}

/**
 * Every route of the four families needs a live bearer token issued by POST /oauth/token; the roles
 * an operation needs are checked next (setUpRoles).
 */
export function requireBearerToken(services: Services) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const token = bearerToken(req)
    const client = token ? await services.tokens.authenticate(services.db, token) : null
    if (!client) {
      throw new DomainError('unauthorized', 'Token expired or invalid', {
        subject: { header: 'Authorization' },
        headers: { 'WWW-Authenticate': 'Bearer realm="secure-move", error="invalid_token"' },
      })
    }
    req.apiClient = client
    next()
  }
}

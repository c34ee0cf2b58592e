import type { NextFunction, Request, Response } from 'express'
import { DomainError } from '../lib/errors'

export const SUPPORTED_VERSIONS = [1, 2] as const

const ACCEPTABLE = /(^|,)\s*(application\/vnd\.api\+json|application\/json|application\/\*|\*\/\*)\s*(;|,|$)/i
const BODY_TYPES = /^\s*(application\/vnd\.api\+json|application\/json)\s*(;.*)?$/i

/**
 * Version negotiation for /api. `Accept: application/vnd.api+json; version=N` picks the version
 * (absent = 1, unknown = 415, as the reference does). The `version` parameter is a documented
 * deviation from JSON:API 1.1, kept for existing supplier clients.
 */
export function negotiateVersion(req: Request, _res: Response, next: NextFunction): void {
  const accept = req.get('accept')
  if (accept && !ACCEPTABLE.test(accept)) {
    throw new DomainError('not_acceptable', 'Accept must allow application/vnd.api+json', {
      subject: { header: 'Accept' },
    })
  }
  const match = accept?.match(/version\s*=\s*"?([^";,\s]*)"?/i)
  if (!match) {
    req.apiVersion = 1
    return next()
  }
  const version = Number(match[1])
  if (!SUPPORTED_VERSIONS.includes(version as 1 | 2)) {
    throw new DomainError(
      'invalid_api_version',
      `The Api versions supported are: ${JSON.stringify(SUPPORTED_VERSIONS.map(String))}`,
      {
        subject: { header: 'Accept' },
      },
    )
  }
  req.apiVersion = version
  next()
}

/**
 * A request with a body must send it as JSON:API or plain JSON; anything else is 415 before parsing,
 * on every route family (each names the type it documents).
 */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined
  if (!hasBody) return next()
  const type = req.get('content-type')
  if (!type || !BODY_TYPES.test(type)) {
    const documented = req.baseUrl === '/api' ? 'application/vnd.api+json' : 'application/json'
    throw new DomainError('unsupported_media_type', `Content-Type must be ${documented}`, {
      subject: { header: 'Content-Type' },
    })
  }
  next()
}

import type { NextFunction, Request, Response } from 'express'
import { DomainError } from '../lib/errors'
import type { MatchedOperation } from './operationMatch'
import { isMultipartRequest, takesMultipart } from './setUpMultipart'

export const SUPPORTED_VERSIONS = [1, 2] as const

const ACCEPTABLE = /(^|,)\s*(application\/vnd\.api\+json|application\/json|application\/\*|\*\/\*)\s*(;|,|$)/i
const BODY_TYPES = /^\s*(application\/vnd\.api\+json|application\/json)\s*(;.*)?$/i

/**
 * The media types of an operation's successful answer, when it is not a JSON:API document (the GPS
 * track as GeoJSON or a picture); undefined for JSON:API operations and for paths the contract lacks.
 */
function otherRepresentations(matched: MatchedOperation | undefined): string[] | undefined {
  const types = Object.keys(matched?.operation.responses?.['200']?.content ?? {})
  return types.length && !types.includes('application/vnd.api+json') ? types : undefined
}

/**
 * Accept negotiation for /api, before authentication. An operation answering in another media type
 * than JSON:API (openapi.yaml declares it on its 200) needs an Accept that allows it, or none; it has no
 * versions. Every other operation goes to negotiateVersion.
 */
export function negotiateApi(match: (method: string, path: string) => MatchedOperation | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const offered = otherRepresentations(match(req.method, req.baseUrl + req.path))
    if (!offered) return negotiateVersion(req, res, next)
    if (!req.accepts(offered)) {
      throw new DomainError('not_acceptable', `Accept must allow ${offered.join(' or ')}`, {
        subject: { header: 'Accept' },
      })
    }
    req.apiVersion = 1
    next()
  }
}

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
 * on every route family (each names the type it documents). An operation openapi.yaml declares with a
 * multipart/form-data body (POST /api/documents) takes that too (api/setUpMultipart).
 */
export function requireJsonBody(match: (method: string, path: string) => MatchedOperation | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined
    if (!hasBody) return next()
    const type = req.get('content-type')
    if (isMultipartRequest(req) && takesMultipart(match(req.method, req.baseUrl + req.path))) return next()
    if (!type || !BODY_TYPES.test(type)) {
      const documented = req.baseUrl === '/api' ? 'application/vnd.api+json' : 'application/json'
      throw new DomainError('unsupported_media_type', `Content-Type must be ${documented}`, {
        subject: { header: 'Content-Type' },
      })
    }
    next()
  }
}

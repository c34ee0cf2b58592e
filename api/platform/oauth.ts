import type { NextFunction, Request, Response } from 'express'
import { issueToken } from '../../lib/auth/clients'
import { DomainError } from '../../lib/errors'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'
import { isDataException } from '../errorHandler'
import { isHostile } from '../setUpHostileInput'

/** An OAuth2 error (RFC 6749 §5.2), with its HTTP status. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description)
  }
}

const invalidRequest = (description: string) => new OAuthError(400, 'invalid_request', description)

type Credentials = { clientId: string; clientSecret: string }

/**
 * Credentials holding a NUL or an unpaired surrogate are refused before they reach the clients table,
 * which could not even compare them (SQLSTATE 22021): no client id or secret we issue holds one.
 */
function storable(credentials: Credentials): Credentials {
  if (isHostile(credentials.clientId) || isHostile(credentials.clientSecret)) {
    throw invalidRequest('client_id and client_secret must not contain a NUL character or an unpaired UTF-16 surrogate')
  }
  return credentials
}

function fromBasic(header: string): Credentials {
  const basic = header.match(/^Basic\s+(\S+)$/i)
  if (!basic) throw invalidRequest('Client authentication must use the Basic scheme')
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) throw invalidRequest('Basic credentials must be client_id:client_secret')
  let credentials: Credentials
  try {
    credentials = {
      clientId: decodeURIComponent(decoded.slice(0, colon)),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
    }
  } catch {
    throw invalidRequest('Basic credentials are not correctly encoded')
  }
  return storable(credentials)
}

/**
 * The client's credentials, from exactly one place (RFC 6749 §2.3): the Authorization header or the
 * body's client_id and client_secret, never both, and never the query string (§3.2).
 */
export function clientCredentials(req: Request): Credentials {
  const inQuery = Object.keys(req.query ?? {})
  if (inQuery.length) throw invalidRequest('Parameters go in the request body, not the query string')
  const body = (req.body ?? {}) as Record<string, unknown>
  const header = req.get('authorization')
  const inBody = body.client_id !== undefined || body.client_secret !== undefined
  if (header !== undefined && inBody) {
    throw invalidRequest('Send client credentials in the Authorization header or in the body, not both')
  }
  if (header !== undefined) return fromBasic(header)
  if (typeof body.client_id !== 'string' || typeof body.client_secret !== 'string' || !body.client_id) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed', {
      'WWW-Authenticate': 'Basic realm="secure-move"',
    })
  }
  return storable({ clientId: body.client_id, clientSecret: body.client_secret })
}

/** OAuth2 client credentials (RFC 6749 §4.4); every error in the OAuth2 shape (§5.2). */
export function oauthHandlers(services: Services): HandlerTable {
  return {
    createToken: async (req, res) => {
      const grantType = (req.body as Record<string, unknown> | undefined)?.grant_type
      if (grantType === undefined) throw invalidRequest('grant_type is required')
      const { clientId, clientSecret } = clientCredentials(req)
      if (grantType !== 'client_credentials') {
        throw new OAuthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials')
      }
      const token = await issueToken(
        services.db,
        services.clock,
        services.config.tokenTtlSeconds,
        clientId,
        clientSecret,
      )
      if (!token) {
        throw new OAuthError(401, 'invalid_client', 'Client authentication failed', {
          'WWW-Authenticate': 'Basic realm="secure-move"',
        })
      }
      res.setHeader('Cache-Control', 'no-store')
      res.json(token)
    },
  }
}

/**
 * The error middleware of /oauth: whatever refused the request (the contract, the body parser, a
 * 404 or 405, the throttle, our handler) answers `{"error", "error_description"}`, never JSON:API.
 */
export function oauthErrors(log: Services['log']) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err)
    let error: OAuthError
    if (err instanceof OAuthError) error = err
    else if (err instanceof DomainError && err.status < 500)
      error = new OAuthError(err.status, 'invalid_request', err.problems[0]?.detail ?? err.message, err.headers)
    else if (isDataException(err)) {
      // A value the database cannot take is the request's fault, as on every other route.
      log.warn({ err }, 'database refused a token request value')
      error = invalidRequest('The request holds a value that cannot be stored')
    } else {
      const status =
        (err as { status?: number; statusCode?: number })?.status ?? (err as { statusCode?: number })?.statusCode
      if (status && status >= 400 && status < 500) {
        error = new OAuthError(status, 'invalid_request', (err as Error).message)
        const allow = (err as { headers?: Record<string, string> }).headers?.Allow
        if (allow) error.headers.Allow = allow
      } else {
        log.error({ err }, 'token endpoint failed')
        error = new OAuthError(500, 'server_error', 'The token could not be issued')
      }
    }
    res.setHeader('Cache-Control', 'no-store')
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value)
    res.status(error.status).json({ error: error.error, error_description: error.description })
  }
}

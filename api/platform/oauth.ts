import type { Request } from 'express'
import { issueToken } from '../../lib/auth/clients'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'

function credentials(req: Request): { clientId?: string; clientSecret?: string } {
  const basic = req.get('authorization')?.match(/^Basic\s+(\S+)$/i)
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon > 0) {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
      }
    }
    return {}
  }
  const body = (req.body ?? {}) as Record<string, unknown>
  return {
    clientId: typeof body.client_id === 'string' ? body.client_id : undefined,
    clientSecret: typeof body.client_secret === 'string' ? body.client_secret : undefined,
  }
}

/** OAuth2 client credentials (RFC 6749 §4.4), answering errors in the OAuth2 shape (§5.2). */
export function oauthHandlers(services: Services): HandlerTable {
  return {
    createToken: async (req, res) => {
      res.setHeader('Cache-Control', 'no-store')
      const grantType = (req.body as Record<string, unknown> | undefined)?.grant_type
      if (grantType !== 'client_credentials') {
        res.status(400).json({
          error: grantType === undefined ? 'invalid_request' : 'unsupported_grant_type',
          error_description: 'grant_type must be client_credentials',
        })
        return
      }
      const { clientId, clientSecret } = credentials(req)
      const token =
        clientId && clientSecret
          ? await issueToken(services.db, services.clock, services.config.tokenTtlSeconds, clientId, clientSecret)
          : null
      if (!token) {
        res.setHeader('WWW-Authenticate', 'Basic realm="secure-move"')
        res.status(401).json({ error: 'invalid_client', error_description: 'Client authentication failed' })
        return
      }
      res.json(token)
    },
  }
}

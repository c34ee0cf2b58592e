import type { NextFunction, Request, Response } from 'express'
import { rateLimit, type Options } from 'express-rate-limit'
import type { Config } from '../../lib/config'
import { clientCredentials, OAuthError } from './oauth'

/** The client id a token request names, if it names one in a place we accept; else undefined. */
function claimedClientId(req: Request): string | undefined {
  try {
    return clientCredentials(req).clientId
  } catch {
    return undefined
  }
}

function refuse(req: Request, _res: Response, next: NextFunction, options: Options): void {
  const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime
  const seconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000))
  next(
    new OAuthError(
      429,
      'temporarily_unavailable',
      `Too many failed client authentications; retry after ${seconds} seconds`,
      {
        'Retry-After': String(seconds),
      },
    ),
  )
}

/**
 * Guessing client secrets is slowed down: failed token requests (any 4xx) are counted per claimed
 * client id and per address over AUTH_FAILURE_WINDOW_SECONDS, and past the limit every token request
 * for that client id or from that address is 429 with Retry-After until the window ends. Successful
 * requests are not counted. The counts live in this process, as the other rate limits' do.
 */
export function tokenThrottle(config: Config) {
  const common = {
    windowMs: config.tokenFailureWindowSeconds * 1000,
    skipSuccessfulRequests: true,
    standardHeaders: false,
    legacyHeaders: false,
    handler: refuse,
  } as const
  const perClient = rateLimit({
    ...common,
    limit: config.tokenFailureLimit,
    skip: req => claimedClientId(req) === undefined,
    keyGenerator: req => `client:${claimedClientId(req)}`,
  })
  const perAddress = rateLimit({ ...common, limit: config.tokenFailureAddressLimit })
  return [perAddress, perClient]
}

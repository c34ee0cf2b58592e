import { rateLimit } from 'express-rate-limit'
import { DomainError } from '../lib/errors'

/**
 * Requests per minute per client (by token owner, falling back to the address for requests that
 * carry none), so that one supplier's runaway loop cannot starve the others. The counts live in
 * this process: each instance enforces the limit on its own share of the traffic.
 */
export function perClientRateLimit(limitPerMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: req => req.apiClient?.id ?? `ip:${req.ip}`,
    validate: { keyGeneratorIpFallback: false },
    handler: (_req, _res, next, options) => {
      next(
        new DomainError('too_many_requests', `More than ${options.limit} requests in a minute; slow down`, {
          headers: { 'Retry-After': '60' },
        }),
      )
    },
  })
}

import type { Request, Response } from 'express'
import { DomainError } from '../lib/errors'
import type { Services } from '../lib/services'
import { client, sendStored, type Handler } from './context'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The key is a structured-field string in the IETF draft (`"uuid"`), and a bare UUID in practice. */
export function parseIdempotencyKey(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') {
    throw new DomainError('missing_idempotency_key', 'Idempotency-Key header is required for this request', {
      subject: { header: 'Idempotency-Key' },
    })
  }
  const key = raw.trim().replace(/^"(.*)"$/, '$1')
  if (!UUID.test(key)) {
    throw new DomainError('invalid_idempotency_key', 'Idempotency-Key must be a UUID', {
      subject: { header: 'Idempotency-Key' },
    })
  }
  return key.toLowerCase()
}

/**
 * Wraps a state-changing handler: claims the key (per client), replays a finished request, refuses
 * a reused key (422) or one still in flight (409), and frees the key when the request fails so that
 * a corrected retry can use it.
 */
export function idempotent(services: Services, handler: Handler): Handler {
  return async (req: Request, res: Response) => {
    const key = parseIdempotencyKey(req.get('idempotency-key'))
    const claim = await services.idempotency.claim({
      apiClientId: client(req).id,
      key,
      method: req.method,
      path: req.originalUrl,
      body: req.body,
    })
    switch (claim.outcome) {
      case 'replay':
        res.setHeader('Idempotent-Replayed', 'true')
        return sendStored(res, claim.response)
      case 'mismatch':
        throw new DomainError(
          'idempotency_key_reused',
          `Idempotency-Key ${key} was already used for a different request`,
          {
            subject: { header: 'Idempotency-Key' },
          },
        )
      case 'in_flight':
        throw new DomainError('idempotency_in_flight', `A request with Idempotency-Key ${key} is still in progress`, {
          subject: { header: 'Idempotency-Key' },
          headers: { 'Retry-After': '1' },
        })
    }
    req.idempotentClaim = { id: claim.id }
    try {
      await handler(req, res)
    } catch (err) {
      await services.idempotency.release(claim.id)
      throw err
    }
  }
}

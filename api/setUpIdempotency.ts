import type { Request } from 'express'
import { DomainError } from '../lib/errors'
import type { StoredResponse } from '../lib/idempotency/store'
import type { Services } from '../lib/services'
import { client } from './context'
import { multipartFingerprintBody } from './setUpMultipart'

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
 * Claims the request's Idempotency-Key (per client) for the write path (api/writePath.ts): answers
 * the claim's id, or the stored response of a finished request with the same key and body, to be
 * replayed. Refuses a reused key (422) or one still in flight (409). The caller releases the claim
 * when the request fails, so that a corrected retry can use it.
 */
export async function claimIdempotencyKey(
  services: Services,
  req: Request,
): Promise<{ id: number } | { replay: StoredResponse }> {
  const key = parseIdempotencyKey(req.get('idempotency-key'))
  const claim = await services.idempotency.claim({
    apiClientId: client(req).id,
    key,
    method: req.method,
    path: req.originalUrl,
    body: multipartFingerprintBody(req),
  })
  switch (claim.outcome) {
    case 'claimed':
      return { id: claim.id }
    case 'replay':
      return { replay: claim.response }
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
}

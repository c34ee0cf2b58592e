import { DomainError, attribute } from '../errors'

/**
 * Attributes the reference's clients may write that we do not implement, by resource type: the
 * reference's version 2 move takes `recall_date` (a prison recall's date) and `section_forty_six`. A
 * request carrying one is refused (422 at the attribute) rather than stored nowhere while the client
 * believes it kept. Attributes the reference itself never takes from a client (reference, created_at...)
 * and names it has never heard of are ignored, as the reference ignores them. A move's `status` is
 * refused by `updateMove` when it would change the status (the reference's legacy status PATCH).
 */
export const UNSUPPORTED_ATTRIBUTES = {
  moves: ['recall_date', 'section_forty_six'],
} as const

/** Throws 422 `unprocessable_entity`, one error per unsupported attribute present (even null), each at its pointer. */
export function refuseUnsupported(
  type: keyof typeof UNSUPPORTED_ATTRIBUTES,
  attributes: Record<string, unknown> | undefined,
): void {
  const sent = UNSUPPORTED_ATTRIBUTES[type].filter(name => attributes && Object.hasOwn(attributes, name))
  if (!sent.length) return
  throw DomainError.many(
    'unprocessable_entity',
    sent.map(name => ({ detail: `${name} is not supported on ${type}`, subject: attribute(name) })),
  )
}

import type { Request } from 'express'
import { DomainError } from '../../lib/errors'

/** `sort[by]` and `sort[direction]` as the reference takes them; `by` alone sorts ascending. */
export function parseSort<By extends string>(
  req: Request,
  allowed: readonly By[],
  fallback: { by: By; direction: 'asc' | 'desc' },
): { by: By; direction: 'asc' | 'desc' } {
  const raw = req.query.sort
  if (raw === undefined) return fallback
  const sort = (raw && typeof raw === 'object' ? raw : {}) as { by?: unknown; direction?: unknown }
  if (sort.by === undefined) return fallback
  if (!allowed.includes(sort.by as By)) {
    throw new DomainError('unsupported_sort', `sort[by] must be one of ${allowed.join(', ')}`, {
      subject: { parameter: 'sort[by]' },
    })
  }
  const direction = sort.direction ?? 'asc'
  if (direction !== 'asc' && direction !== 'desc') {
    throw new DomainError('unsupported_sort', 'sort[direction] must be asc or desc', {
      subject: { parameter: 'sort[direction]' },
    })
  }
  return { by: sort.by as By, direction }
}

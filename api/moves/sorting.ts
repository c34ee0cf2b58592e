import type { Request } from 'express'

/**
 * `sort[by]` and `sort[direction]` as the reference takes them; `by` alone sorts ascending. The
 * values are declared per list in openapi.yaml (`MoveSort`, `AllocationSort`), which refuses others
 * with 400 unsupported_sort before the handler runs.
 */
export function parseSort<By extends string>(
  req: Request,
  fallback: { by: By; direction: 'asc' | 'desc' },
): { by: By; direction: 'asc' | 'desc' } {
  const sort = req.query.sort as { by?: By; direction?: 'asc' | 'desc' } | undefined
  if (sort?.by === undefined) return fallback
  return { by: sort.by, direction: sort.direction ?? 'asc' }
}

import { DomainError } from '../errors'

export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 2000

export type Page = { number: number; size: number }

function positiveInteger(raw: unknown, parameter: string): number | undefined {
  if (raw === undefined || raw === '') return undefined
  const value = typeof raw === 'number' ? raw : Number(raw)
  if (!Number.isInteger(value) || value < 1) {
    throw new DomainError('invalid_query_parameter', `${parameter} must be a positive integer`, {
      subject: { parameter },
    })
  }
  return value
}

/** Both the reference's `page`/`per_page` and JSON:API's `page[number]`/`page[size]`. */
export function parsePage(query: Record<string, unknown>): Page {
  const page = query.page
  const nested = page && typeof page === 'object' ? (page as Record<string, unknown>) : {}
  const number =
    positiveInteger(nested.number, 'page[number]') ??
    (typeof page === 'object' ? undefined : positiveInteger(page, 'page')) ??
    1
  const size =
    positiveInteger(nested.size, 'page[size]') ?? positiveInteger(query.per_page, 'per_page') ?? DEFAULT_PAGE_SIZE
  // Larger sizes are capped rather than refused, as suppliers' existing clients expect.
  return { number, size: Math.min(size, MAX_PAGE_SIZE) }
}

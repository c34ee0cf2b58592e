export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 2000

export type Page = { number: number; size: number }

/** A page parameter as the validator left it (a number, or its digits); absent or empty is unset. */
function pageNumber(raw: unknown): number | undefined {
  return raw === undefined || raw === '' ? undefined : Number(raw)
}

/**
 * Both the reference's `page`/`per_page` and JSON:API's `page[number]`/`page[size]`, whose bounds
 * openapi.yaml declares (`Page`, `PerPage`: positive integers) and the validator has checked.
 */
export function parsePage(query: Record<string, unknown>): Page {
  const page = query.page
  const nested = page && typeof page === 'object' ? (page as Record<string, unknown>) : {}
  const number = pageNumber(nested.number) ?? (typeof page === 'object' ? undefined : pageNumber(page)) ?? 1
  const size = pageNumber(nested.size) ?? pageNumber(query.per_page) ?? DEFAULT_PAGE_SIZE
  // Larger sizes are capped rather than refused, as suppliers' existing clients expect.
  return { number, size: Math.min(size, MAX_PAGE_SIZE) }
}

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

function encodeQuery(params: [string, string][]): string {
  return new URLSearchParams(params).toString().replace(/\+/g, '%20')
}

/** Flattens a parsed query back into `a[b]=c` pairs, in a stable order. */
function flattenQuery(query: Record<string, unknown>, prefix = ''): [string, string][] {
  const pairs: [string, string][] = []
  for (const [key, value] of Object.entries(query)) {
    const name = prefix ? `${prefix}[${key}]` : key
    if (value === undefined || value === null) continue
    if (typeof value === 'object' && !Array.isArray(value))
      pairs.push(...flattenQuery(value as Record<string, unknown>, name))
    else pairs.push([name, Array.isArray(value) ? value.join(',') : String(value)])
  }
  return pairs
}

/**
 * Absolute, percent-encoded top-level links and the reference's `meta.pagination`, as in the
 * seed's GET /api/moves response. Every link keeps every parameter of the request but the page
 * number (filters, sorts, includes, fields, `per_page`), so following one asks for the same list in
 * pages of the same size. The top-level links name the page as `page[number]` and `page[size]`;
 * `meta.pagination.links` as the request did: `page=N`, or `page[number]` and `page[size]` when the
 * request sent those.
 */
export function paginationLinks(
  baseUrl: string,
  path: string,
  query: Record<string, unknown>,
  page: Page,
  totalObjects: number,
): { links: Record<string, string | null>; meta: { pagination: Record<string, unknown> } } {
  const { page: requested, ...rest } = query
  const base = flattenQuery(rest)
  const nested = requested !== null && typeof requested === 'object'
  const numbered = (n: number): [string, string][] => [
    ['page[number]', String(n)],
    ['page[size]', String(page.size)],
  ]
  const totalPages = Math.max(1, Math.ceil(totalObjects / page.size))
  const absolute = (n: number) => `${baseUrl}${path}?${encodeQuery([...base, ...numbered(n)])}`
  const relative = (n: number) =>
    `${path}?${encodeQuery([...base, ...(nested ? numbered(n) : [['page', String(n)] as [string, string]])])}`
  return {
    links: {
      self: absolute(page.number),
      first: absolute(1),
      prev: page.number > 1 ? absolute(Math.min(page.number - 1, totalPages)) : null,
      next: page.number < totalPages ? absolute(page.number + 1) : null,
      last: absolute(totalPages),
    },
    meta: {
      pagination: {
        per_page: page.size,
        total_pages: totalPages,
        total_objects: totalObjects,
        links: { first: relative(1), last: relative(totalPages) },
      },
    },
  }
}

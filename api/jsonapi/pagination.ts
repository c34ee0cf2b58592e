import type { Page } from '../../lib/jsonapi/pagination'

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
  // The request's own parameters are encoded once for all seven links; only the page differs between them.
  const encodedBase = encodeQuery(base)
  const withPage = (pairs: [string, string][]) =>
    encodedBase ? `${encodedBase}&${encodeQuery(pairs)}` : encodeQuery(pairs)
  const absolute = (n: number) => `${baseUrl}${path}?${withPage(numbered(n))}`
  const relative = (n: number) => `${path}?${withPage(nested ? numbered(n) : [['page', String(n)]])}`
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

import { DomainError, type ErrorSubject } from '../errors'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * Where a value came from, for an error's detail and subject: a query parameter by its name, or a
 * member of the request body by its path.
 */
export type Place = string | { name: string; member: string[] }

function nameAndSource(place: Place): { name: string; subject: ErrorSubject } {
  return typeof place === 'string'
    ? { name: place, subject: { parameter: place } }
    : { name: place.name, subject: { member: place.member } }
}

/** 400 invalid_query_parameter: the value at `place` has `problem`. */
export function invalidValue(place: Place, problem: string): DomainError {
  const { name, subject } = nameAndSource(place)
  return new DomainError('invalid_query_parameter', `${name} ${problem}`, { subject })
}

/** A list's filter arrives as `filter[name]` in the query, or in a search body's `data.attributes.filter`. */
export type FilterOrigin = 'query' | 'body'

export function filterPlace(origin: FilterOrigin, name: string): Place {
  return origin === 'query'
    ? `filter[${name}]`
    : { name: `data.attributes.filter.${name}`, member: ['data', 'attributes', 'filter', name] }
}

export function filterObject(query: Record<string, unknown>): Record<string, unknown> {
  const filter = query.filter
  return filter && typeof filter === 'object' ? (filter as Record<string, unknown>) : {}
}

/**
 * A comma-separated filter value, as the reference's filters take them, or (in a search body) an
 * array of strings. Undefined when the filter is absent; an empty list when it is present but empty
 * (`filter[x]=`, `""`, `[]`), which `whereAnyOf` matches against rows where the value is null.
 */
export function csv(value: unknown, place: Place, allowed?: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined
  const parts = typeof value === 'string' ? value.split(',') : value
  if (!Array.isArray(parts) || parts.some(part => typeof part !== 'string')) {
    throw invalidValue(place, 'must be a comma-separated list or an array of strings')
  }
  const values = (parts as string[]).map(v => v.trim()).filter(Boolean)
  if (allowed) {
    const bad = values.filter(v => !allowed.includes(v))
    if (bad.length) {
      throw invalidValue(
        place,
        `has invalid values ${JSON.stringify(bad)}; valid values are ${JSON.stringify(allowed)}`,
      )
    }
  }
  return values
}

export function csvUuids(value: unknown, place: Place): string[] | undefined {
  const values = csv(value, place)
  if (values?.some(v => !UUID.test(v))) throw invalidValue(place, 'must be a list of UUIDs')
  return values
}

/** A real calendar date in YYYY-MM-DD form. */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

export function dateParameter(value: unknown, place: Place): string | undefined {
  if (value === undefined || value === '') return undefined
  if (!isDate(value)) throw invalidValue(place, 'must be a date (YYYY-MM-DD)')
  return value
}

export function booleanParameter(value: unknown, place: Place): boolean | undefined {
  if (value === undefined || value === '') return undefined
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  throw invalidValue(place, 'must be true or false')
}

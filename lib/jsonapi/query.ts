import { DomainError, type ErrorSubject } from '../errors'

/*
 * The list filters' values arrive already checked by openapi.yaml (each list operation's `filter[...]`
 * and its search body's `data.attributes.filter`: UUID lists, dates, booleans, enumerations), so
 * these helpers only convert them. What the contract cannot say stays with the use cases.
 */

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
 * A comma-list filter's values, trimmed: the query's `a, b` or a search body's `["a", "b"]`. Undefined
 * when the filter is absent; an empty list when it is present but empty (`filter[x]=`, `""`, `[]`),
 * which `whereAnyOf` matches against rows where the value is null.
 */
export function csv(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  const parts: unknown[] = Array.isArray(value) ? value : String(value).split(',')
  return parts.map(part => String(part).trim()).filter(Boolean)
}

/** A `yyyy-MM-dd` date filter; empty, as the frontend sends a date it has not chosen, is no bound. */
export function dateParameter(value: unknown): string | undefined {
  return value === undefined || value === '' ? undefined : String(value)
}

/** A `true`/`false` filter (a string in the query, either in a search body); empty is no filter. */
export function booleanParameter(value: unknown): boolean | undefined {
  if (value === undefined || value === '') return undefined
  return value === true || value === 'true'
}

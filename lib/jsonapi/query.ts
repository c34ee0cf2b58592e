import { ApiError } from '../errors'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DATE = /^\d{4}-\d{2}-\d{2}$/

export function filterObject(query: Record<string, unknown>): Record<string, unknown> {
  const filter = query.filter
  return filter && typeof filter === 'object' ? (filter as Record<string, unknown>) : {}
}

/** A comma-separated filter value, as the reference's filters take them. */
export function csv(value: unknown, parameter: string, allowed?: readonly string[]): string[] | undefined {
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string') {
    throw new ApiError('invalid_query_parameter', `${parameter} must be a comma-separated list`, {
      source: { parameter },
    })
  }
  const values = value
    .split(',')
    .map(v => v.trim())
    .filter(Boolean)
  if (allowed) {
    const bad = values.filter(v => !allowed.includes(v))
    if (bad.length) {
      throw new ApiError(
        'invalid_query_parameter',
        `${parameter} has invalid values ${JSON.stringify(bad)}; valid values are ${JSON.stringify(allowed)}`,
        {
          source: { parameter },
        },
      )
    }
  }
  return values
}

export function csvUuids(value: unknown, parameter: string): string[] | undefined {
  const values = csv(value, parameter)
  const bad = values?.filter(v => !UUID.test(v))
  if (bad?.length) {
    throw new ApiError('invalid_query_parameter', `${parameter} must be a list of UUIDs`, { source: { parameter } })
  }
  return values
}

/** A real calendar date in YYYY-MM-DD form. */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

export function dateParameter(value: unknown, parameter: string): string | undefined {
  if (value === undefined || value === '') return undefined
  if (!isDate(value)) {
    throw new ApiError('invalid_query_parameter', `${parameter} must be a date (YYYY-MM-DD)`, { source: { parameter } })
  }
  return value
}

export function booleanParameter(value: unknown, parameter: string): boolean | undefined {
  if (value === undefined || value === '') return undefined
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  throw new ApiError('invalid_query_parameter', `${parameter} must be true or false`, { source: { parameter } })
}

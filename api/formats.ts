import { fullFormats } from 'ajv-formats/dist/formats'
import { isValid as isUkPostcode } from 'postcode'

/**
 * `yyyy-MM-dd` naming a day that exists (`2026-02-30` does not) in a year PostgreSQL has: it counts
 * 1 BC, then AD 1, with no year 0, so `0000-12-31` is no date at all.
 */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number]
  if (year < 1) return false
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** `yyyy-MM-dd`, then optionally a space or `T` and `HH:mm[:ss[.SSS]]`, each part in its range. */
const NOMIS_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?)?$/

/** RFC 3339's own check of a format (ajv-formats' full mode), which knows nothing of PostgreSQL. */
const rfc3339 = (name: 'date' | 'date-time') => (fullFormats[name] as { validate: (value: string) => boolean }).validate

/** The first four characters of a `date` or `date-time` are its year; see isCalendarDate. */
const hasYear = (value: string): boolean => !value.startsWith('0000')

/**
 * A leap second: RFC 3339 allows `23:59:60`, but PostgreSQL silently reads it as the next minute's
 * `:00`, so the value kept would not be the value sent. No record of the service needs one.
 */
const LEAP_SECOND = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:60/

function nomisDateTime(value: string): boolean {
  const match = NOMIS_DATE_TIME.exec(value)
  return match !== null && isCalendarDate(match[1]!)
}

/**
 * The string formats openapi.yaml uses beyond JSON Schema's, registered once with the validator
 * (api/app.ts). Each accepts only real calendar dates and times of day, so `2026-02-30` or `25:00`
 * is refused at the edge and never reaches PostgreSQL.
 *
 * - `date`, `date-time`: RFC 3339's, as ajv-formats' full mode checks them, and also a year PostgreSQL
 *   has (not `0000`) and, for a date-time, no leap second (`23:59:60`). Registered after ajv-formats,
 *   so these replace its own.
 * - `date-or-empty`: a list filter's `yyyy-MM-dd` date, or empty, which the frontend sends for a date
 *   it has not chosen (`filter[date_from]=`) and which means no bound.
 * - `nomis-date-time`: the NOMIS seed's `modified_since` forms, `2018-01-10`, `2018-01-10 03:34`,
 *   `2018-01-10 03:34:12`, `2018-01-10 03:34:12.123`, with a space or the example's `T`.
 * - `nomis-utc-date-time`: the same, optionally ending in `Z`, for the event feed's
 *   `from_datetime` (read as UTC; the seed's example is `2017-08-20 10:56:27.627`).
 * - `uk-postcode`: a UK postcode by its shape (outward and inward codes, any case, the space
 *   optional: `SW1A 1AA`, `sw1a1aa`), as the `postcode` library checks it; the reference checks event
 *   postcodes with a like library (UKPostcode).
 */
export const contractFormats = {
  date: { type: 'string', validate: (value: string) => rfc3339('date')(value) && hasYear(value) },
  'date-time': {
    type: 'string',
    validate: (value: string) => rfc3339('date-time')(value) && hasYear(value) && !LEAP_SECOND.test(value),
  },
  'date-or-empty': {
    type: 'string',
    validate: (value: string) => value === '' || (/^\d{4}-\d{2}-\d{2}$/.test(value) && isCalendarDate(value)),
  },
  'nomis-date-time': { type: 'string', validate: nomisDateTime },
  'nomis-utc-date-time': {
    type: 'string',
    validate: (value: string) => nomisDateTime(value.endsWith('Z') ? value.slice(0, -1) : value),
  },
  'uk-postcode': { type: 'string', validate: (value: string) => isUkPostcode(value) },
} as const

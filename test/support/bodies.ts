/**
 * The one place for each /api request body a test sends: valid by openapi.yaml as built, so a test
 * that wants a refused body spoils one member of it (see test/contract/bodies.ts `withMember`).
 * Relationship arguments are ids; ./builders.ts `location()` turns a seeded location's key into one.
 */

import { randomUUID } from 'node:crypto'
import { walkthroughIds } from '../../db/seeds/referenceData'

/** A fresh Idempotency-Key. */
export const key = () => randomUUID()

let day = 0
/**
 * A date no other call in the run answers (YYYY-MM-DD, from 2031 on), offset by the process id so
 * that runs sharing a PostgreSQL database do not collide either: tests sharing the world never see
 * each other's moves in a date-filtered list.
 */
export function uniqueDate(): string {
  const date = new Date(Date.UTC(2031, 0, 1) + (process.pid % 500) * 86_400_000 * 7 + ++day * 86_400_000)
  return date.toISOString().slice(0, 10)
}

/** The timestamp every event body carries unless a test gives another (a fixed instant, in UTC). */
export const EVENT_TIMESTAMP = '2031-01-01T10:00:00Z'

/** A to-one relationship: `{ data: { type, id } }`, or `{ data: null }` to clear it. */
export const ref = (type: string, id: string | null) => ({ data: id === null ? null : { type, id } })

/** A relationship to a location. */
export const locationRef = (id: string) => ref('locations', id)

/**
 * A POST /api/moves body (MoveCreate). `from`, `to` and `profile` are ids; `to` is left out when
 * not given (a video remand has none). `attributes` are sent as given: a requested move needs `date`,
 * a proposed one `date_from`.
 */
export function moveBody(
  attributes: Record<string, unknown>,
  relationships: { from: string; to?: string; profile?: string } & Record<string, unknown>,
) {
  const { from, to, profile, ...others } = relationships
  return {
    data: {
      type: 'moves',
      attributes,
      relationships: {
        from_location: locationRef(from),
        ...(to ? { to_location: locationRef(to) } : {}),
        ...(profile ? { profile: ref('profiles', profile) } : {}),
        ...others,
      },
    },
  }
}

/** A PATCH /api/moves/{id} body (MoveUpdate): the given attributes and relationships, nothing else. */
export function moveUpdateBody(
  id: string,
  attributes?: Record<string, unknown>,
  relationships?: Record<string, unknown>,
) {
  return {
    data: { type: 'moves', id, ...(attributes ? { attributes } : {}), ...(relationships ? { relationships } : {}) },
  }
}

/** A PATCH /api/moves/{id} body that assigns `profileId` to the move (null takes it off). */
export const assignProfileBody = (moveId: string, profileId: string | null) =>
  moveUpdateBody(moveId, undefined, { profile: ref('profiles', profileId) })

/**
 * A POST /api/allocations body (AllocationCreate): two adult male moves on a date of their own,
 * Brinsford to Isle of Wight (the walkthrough's prisons), unless `attributes` or `locations` (ids)
 * say otherwise.
 */
export function allocationBody(
  attributes: Record<string, unknown> = {},
  locations: { from: string; to: string } = { from: walkthroughIds.brinsford, to: walkthroughIds.isleOfWight },
) {
  return {
    data: {
      type: 'allocations',
      attributes: { moves_count: 2, date: uniqueDate(), estate: 'adult_male', ...attributes },
      relationships: { from_location: locationRef(locations.from), to_location: locationRef(locations.to) },
    },
  }
}

/** A POST /api/people body (PersonCreate): ALEX TESTER unless `attributes` say otherwise. */
export const personBody = (attributes: Record<string, unknown> = {}) => ({
  data: { type: 'people', attributes: { first_names: 'ALEX', last_name: 'TESTER', ...attributes } },
})

/** A POST /api/people/{id}/profiles body (ProfileWrite), with the given attributes if any. */
export const profileBody = (attributes?: Record<string, unknown>) => ({
  data: { type: 'profiles', ...(attributes ? { attributes } : {}) },
})

/** A POST /api/moves/{id}/journeys body (JourneyCreate): billable, vehicle v1, between two location ids. */
export const journeyBody = (from: string, to: string, attributes: Record<string, unknown> = {}) => ({
  data: {
    type: 'journeys',
    attributes: {
      timestamp: '2031-01-01T09:00:00Z',
      billable: true,
      vehicle: { id: 'v1', registration: 'AB12 CDE' },
      ...attributes,
    },
    relationships: { from_location: locationRef(from), to_location: locationRef(to) },
  },
})

/** A POST /api/moves/{id}/lodgings body (LodgingCreate): at location id `at` from `start` to `end` (YYYY-MM-DD). */
export const lodgingBody = (at: string, start: string, end: string, attributes: Record<string, unknown> = {}) => ({
  data: {
    type: 'lodgings',
    attributes: { start_date: start, end_date: end, ...attributes },
    relationships: { location: locationRef(at) },
  },
})

/** The JSON:API type of each move event's body, by the last segment of its path. */
export const MOVE_EVENT_TYPES: Record<string, string> = {
  accept: 'accepts',
  start: 'starts',
  complete: 'completes',
  cancel: 'cancels',
  approve: 'approves',
  reject: 'rejects',
  lockouts: 'lockouts',
  lodgings: 'lodgings',
  redirects: 'redirects',
}

/**
 * The body of a lifecycle event (POST /api/moves/{id}/{event}, and the journey and lodging events):
 * `data.type` from the event (MOVE_EVENT_TYPES, else the event with an s), the timestamp unless
 * `attributes` give one.
 */
export function eventBody(
  event: string,
  attributes: Record<string, unknown> = {},
  relationships?: Record<string, unknown>,
) {
  return {
    data: {
      type: MOVE_EVENT_TYPES[event] ?? (event.endsWith('s') ? event : `${event}s`),
      attributes: { timestamp: EVENT_TIMESTAMP, ...attributes },
      ...(relationships ? { relationships } : {}),
    },
  }
}

/** A cancel body (moves and allocations): made in error unless another reason is given. */
export const cancelBody = (attributes: Record<string, unknown> = {}) =>
  eventBody('cancel', { cancellation_reason: 'made_in_error', ...attributes })

/** A reject body: no space at the receiving prison unless another reason is given. */
export const rejectBody = (attributes: Record<string, unknown> = {}) =>
  eventBody('reject', { rejection_reason: 'no_space_at_receiving_prison', ...attributes })

/** A redirect body to location id `to`, for no space unless another reason is given. */
export const redirectBody = (to: string, attributes: Record<string, unknown> = {}) =>
  eventBody('redirects', { reason: 'no_space', ...attributes }, { to_location: locationRef(to) })

/** A population body for `locationId` on `date`, with these attributes besides. */
export const populationBody = (locationId: string, date: string, attributes: Record<string, unknown> = {}) => ({
  data: {
    type: 'populations',
    attributes: { date, operational_capacity: 500, usable_capacity: 480, ...attributes },
    relationships: { location: { data: { type: 'locations', id: locationId } } },
  },
})

import { EVENT_TIMESTAMP, ref } from './bodies'
import { post } from './builders'
import type { TestClient } from './app'
import type { World } from './world'

/**
 * A POST /api/events body: `eventType` about `eventable` ({ type, id }), happened and recorded at the
 * suite's event timestamp unless `attributes` say otherwise, with `details` and the other relationships
 * (`{ location: id }`, ids by name).
 */
export function genericEventBody(
  eventType: string,
  eventable: { type: string; id: string },
  options: {
    details?: Record<string, unknown>
    attributes?: Record<string, unknown>
    relationships?: Record<string, string>
  } = {},
) {
  const relationships: Record<string, unknown> = { eventable: ref(eventable.type, eventable.id) }
  for (const [name, id] of Object.entries(options.relationships ?? {})) {
    relationships[name] = ref(name === 'previous_move' ? 'moves' : 'locations', id)
  }
  return {
    data: {
      type: 'events',
      attributes: {
        event_type: eventType,
        occurred_at: EVENT_TIMESTAMP,
        recorded_at: EVENT_TIMESTAMP,
        ...(options.details ? { details: options.details } : {}),
        ...options.attributes,
      },
      relationships,
    },
  }
}

/** POST /api/events as `by` with a fresh Idempotency-Key, not yet awaited: `.expect(201)` it. */
export function postEvent(
  world: World,
  by: TestClient,
  eventType: string,
  eventable: { type: string; id: string },
  options: Parameters<typeof genericEventBody>[2] = {},
) {
  return post(world, by, '/api/events').send(genericEventBody(eventType, eventable, options))
}

/** A move as an eventable. */
export const moveRef = (id: string) => ({ type: 'moves', id })
/** A journey as an eventable. */
export const journeyRef = (id: string) => ({ type: 'journeys', id })

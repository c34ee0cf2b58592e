import type { Express } from 'express'
import { walkthroughIds } from '../../db/seeds/referenceData'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'

export const key = () => crypto.randomUUID()

let day = 0
/** A date of its own for each fixture, so that date-filtered lists see only the test's moves. */
export function uniqueDate(): string {
  const date = new Date(Date.UTC(2031, 0, 1) + (process.pid % 500) * 86_400_000 * 7 + ++day * 86_400_000)
  return date.toISOString().slice(0, 10)
}

export function allocationBody(overrides: Record<string, unknown> = {}, relationships?: Record<string, unknown>) {
  return {
    data: {
      type: 'allocations',
      attributes: { moves_count: 2, date: uniqueDate(), estate: 'adult_male', ...overrides },
      relationships: relationships ?? {
        from_location: { data: { type: 'locations', id: walkthroughIds.brinsford } },
        to_location: { data: { type: 'locations', id: walkthroughIds.isleOfWight } },
      },
    },
  }
}

/** An allocation made over HTTP; answers its id, date and move ids. */
export async function makeAllocation(
  app: Express,
  client: TestClient,
  overrides: Record<string, unknown> = {},
  relationships?: Record<string, unknown>,
): Promise<{ id: string; date: string; moveIds: string[] }> {
  const body = allocationBody(overrides, relationships)
  const res = await as(app, client).post('/api/allocations').set('Idempotency-Key', key()).send(body).expect(201)
  return {
    id: res.body.data.id,
    date: body.data.attributes.date as string,
    moveIds: res.body.data.relationships.moves.data.map((m: { id: string }) => m.id),
  }
}

export async function makePerson(app: Express, client: TestClient, attributes: Record<string, unknown> = {}) {
  const res = await as(app, client)
    .post('/api/people')
    .set('Idempotency-Key', key())
    .send({ data: { type: 'people', attributes: { first_names: 'ALEX', last_name: 'TESTER', ...attributes } } })
    .expect(201)
  return res.body.data.id as string
}

export async function makeProfile(app: Express, client: TestClient, personId: string): Promise<string> {
  const res = await as(app, client)
    .post(`/api/people/${personId}/profiles`)
    .set('Idempotency-Key', key())
    .send({ data: { type: 'profiles' } })
    .expect(201)
  return res.body.data.id
}

export function assignProfile(app: Express, client: TestClient, moveId: string, profileId: string | null) {
  return as(app, client)
    .patch(`/api/moves/${moveId}`)
    .set('Idempotency-Key', key())
    .send({
      data: {
        type: 'moves',
        id: moveId,
        relationships: { profile: { data: profileId && { type: 'profiles', id: profileId } } },
      },
    })
}

export function sendEvent(app: Express, client: TestClient, moveId: string, event: string, attributes?: unknown) {
  const types: Record<string, string> = { accept: 'accepts', start: 'starts', complete: 'completes' }
  return as(app, client)
    .post(`/api/moves/${moveId}/${event}`)
    .set('Idempotency-Key', key())
    .send({ data: { type: types[event], attributes: attributes ?? { timestamp: '2031-01-01T10:00:00Z' } } })
}

/** Counts the SQL statements a piece of work sends. */
export async function countQueries(services: Services, work: () => Promise<unknown>): Promise<number> {
  let count = 0
  const listener = () => count++
  services.db.on('query', listener)
  try {
    await work()
  } finally {
    services.db.removeListener('query', listener)
  }
  return count
}

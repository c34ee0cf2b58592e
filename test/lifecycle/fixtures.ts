import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { key, makePerson, makeProfile, uniqueDate } from '../moves/fixtures'

const locationIds = new Map<string, string>()

/** A seeded location's id by its key (bsi, iwi, lei, brmcc, wmp000...). */
export async function location(services: Services, locationKey: string): Promise<string> {
  if (!locationIds.has(locationKey)) {
    const row = await services.db('locations').where({ key: locationKey }).first('id')
    locationIds.set(locationKey, row.id as string)
  }
  return locationIds.get(locationKey)!
}

export const locationRef = (id: string) => ({ data: { type: 'locations', id } })

export function postMove(app: Express, client: TestClient, attributes: object, relationships: object) {
  return as(app, client)
    .post('/api/moves')
    .set('Accept', 'application/vnd.api+json; version=2')
    .set('Idempotency-Key', key())
    .send({ data: { type: 'moves', attributes, relationships } })
}

/** A requested prison transfer with a fresh person, created over HTTP; answers its id and profile. */
export async function makeMove(
  app: Express,
  services: Services,
  client: TestClient,
  options: { status?: 'proposed' | 'requested'; from?: string; to?: string; date?: string } = {},
): Promise<{ id: string; profileId: string; date: string }> {
  const profileId = await makeProfile(app, client, await makePerson(app, client))
  const date = options.date ?? uniqueDate()
  const status = options.status ?? 'requested'
  const res = await postMove(
    app,
    client,
    status === 'proposed'
      ? { move_type: 'prison_transfer', status, date_from: date }
      : { move_type: 'prison_transfer', status, date },
    {
      from_location: locationRef(await location(services, options.from ?? 'bsi')),
      to_location: locationRef(await location(services, options.to ?? 'iwi')),
      profile: { data: { type: 'profiles', id: profileId } },
    },
  ).expect(201)
  return { id: res.body.data.id, profileId, date }
}

const EVENT_TYPES: Record<string, string> = {
  accept: 'accepts',
  start: 'starts',
  complete: 'completes',
  cancel: 'cancels',
  approve: 'approves',
  reject: 'rejects',
  lockouts: 'lockouts',
  redirects: 'redirects',
}

export function moveEvent(
  app: Express,
  client: TestClient,
  moveId: string,
  event: string,
  attributes: object = {},
  relationships?: object,
) {
  return as(app, client)
    .post(`/api/moves/${moveId}/${event}`)
    .set('Idempotency-Key', key())
    .send({
      data: {
        type: EVENT_TYPES[event],
        attributes: { timestamp: '2031-01-01T10:00:00Z', ...attributes },
        ...(relationships ? { relationships } : {}),
      },
    })
}

import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, testClient, type TestClient } from '../support/app'
import { locationRef, postMove } from '../lifecycle/fixtures'
import { key, makePerson, makeProfile } from '../moves/fixtures'

let made = 0

/**
 * A police station no supplier serves and with no NOMIS agency id, added by an admin over HTTP: a
 * move from it has no supplier.
 */
export async function unservedPoliceStation(app: Express, services: Services): Promise<string> {
  const admin = await testClient(services, { roles: ['admin'] })
  const res = await as(app, admin)
    .post('/api/reference/locations')
    .set('Idempotency-Key', key())
    .send({
      data: {
        type: 'locations',
        attributes: {
          key: `compat_${process.pid}_${++made}`,
          title: 'Unserved Police Station',
          location_type: 'police',
        },
      },
    })
    .expect(201)
  return res.body.data.id as string
}

/** A requested video remand (no destination) from `fromId` on `date`, with a fresh person. */
export async function makeVideoRemand(app: Express, client: TestClient, fromId: string, date: string) {
  const profileId = await makeProfile(app, client, await makePerson(app, client))
  const res = await postMove(
    app,
    client,
    { move_type: 'video_remand', status: 'requested', date },
    { from_location: locationRef(fromId), profile: { data: { type: 'profiles', id: profileId } } },
  ).expect(201)
  return res.body.data.id as string
}

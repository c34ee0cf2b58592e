import { expect } from 'chai'
import type { Db } from '../../db/client'
import { as, testApp } from '../support/app'
import { eventBody, key } from '../support/bodies'
import { aMove, moveEvent } from '../support/builders'
import { onPostgres, secondConnection } from '../support/db'
import { testWorld, type World } from '../support/world'

/**
 * A transition's statements are first prepared inside its transaction (db/prepared.ts). PostgreSQL keeps
 * a statement prepared in a transaction that rolls back, and node-postgres must agree with it: were it
 * to forget the name, or remember one PostgreSQL never parsed, the connection would refuse that text ever after.
 */
;(onPostgres ? describe : describe.skip)('prepared statements after a rollback (PostgreSQL)', () => {
  let world: World
  let db: Db

  before(async () => {
    world = await testWorld()
    db = secondConnection({ poolMax: 1 })
  })

  after(async () => {
    await db.destroy()
  })

  it('when a transition first prepared on a connection fails and rolls back, then the same transition succeeds on that connection', async () => {
    const booked = await aMove(world)
    await moveEvent(world, world.frontend, booked.id, 'accept').expect(204)
    const requested = await aMove(world)
    const client = as(testApp({ ...world.services, db }), world.frontend)
    const accept = (id: string) =>
      client.post(`/api/moves/${id}/accept`).set('Idempotency-Key', key()).send(eventBody('accept'))

    const refused = await accept(booked.id).expect(409)
    expect(refused.body.errors[0].code).to.equal('invalid_transition')
    await accept(requested.id).expect(204)
    const read = await client.get(`/api/moves/${requested.id}`).expect(200)
    expect(read.body.data.attributes.status).to.equal('booked')
    const prepared = (await db.raw('select statement from pg_prepared_statements')).rows as { statement: string }[]
    expect(prepared.map(p => p.statement).join('\n')).to.match(/from "moves" as "m"/)
  })
})

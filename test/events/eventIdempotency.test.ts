import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, key } from '../support/builders'
import { genericEventBody, moveRef } from '../support/events'
import { testWorld, type World } from '../support/world'

/** POST /api/events needs an Idempotency-Key, and a repeat answers the stored event (issue #14: stricter than the reference). */
describe('Events: posting is idempotent', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when the same event is posted twice with one key, then one is stored and the second answer is the first, replayed; without a key it is 400', async () => {
    const move = await aMove(world)
    const body = genericEventBody('MoveAccept', moveRef(move.id))
    const idempotencyKey = key()
    const send = () =>
      as(world.app, world.geoamey).post('/api/events').set('Idempotency-Key', idempotencyKey).send(body)
    const first = await send().expect(201)
    const again = await send().expect(201)
    expect(again.headers['idempotent-replayed']).to.equal('true')
    expect(again.body).to.deep.equal(first.body)
    expect(
      await world.services
        .db('move_events')
        .where({ move_id: move.id, event_type: 'MoveAccept' })
        .count('* as n')
        .first(),
    ).to.deep.equal({ n: 1 })
    await as(world.app, world.geoamey).post('/api/events').send(body).expect(400)
  })
})

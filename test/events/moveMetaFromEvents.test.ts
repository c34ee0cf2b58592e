import { expect } from 'chai'
import { as, V2 } from '../support/app'
import { aMove } from '../support/builders'
import { moveRef, postEvent } from '../support/events'
import { testWorld, type World } from '../support/world'

/** expected_time_of_arrival and expected_collection_time come from the latest events (issue #14). */
describe('Events: move meta from the latest estimated-time events', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const eta = (moveId: string, type: string, occurredAt: string, expectedAt: string) =>
    postEvent(world, world.geoamey, type, moveRef(moveId), {
      attributes: { occurred_at: occurredAt, recorded_at: occurredAt },
      details: { expected_at: expectedAt },
    }).expect(201)

  it('when estimates are posted, then the move and the list answer the one that happened last, a back-dated one losing', async () => {
    const move = await aMove(world)
    const meta = 'expected_time_of_arrival,expected_collection_time'
    const one = () => as(world.app, world.geoamey).get(`/api/moves/${move.id}`).set('Accept', V2).query({ meta })
    expect((await one().expect(200)).body.data.meta).to.deep.equal({
      expected_time_of_arrival: null,
      expected_collection_time: null,
    })
    await eta(move.id, 'MoveNotifyPremisesOfDropOffEta', '2031-01-01T09:00:00Z', '2031-01-01T12:00:00Z')
    // The legacy type is stored as the drop-off estimate.
    await eta(move.id, 'MoveNotifyPremisesOfEta', '2031-01-01T10:00:00Z', '2031-01-01T13:00:00Z')
    await eta(move.id, 'MoveNotifyPremisesOfDropOffEta', '2031-01-01T08:00:00Z', '2031-01-01T11:00:00Z')
    await eta(move.id, 'MoveNotifyPremisesOfExpectedCollectionTime', '2031-01-01T09:30:00Z', '2031-01-01T09:45:00Z')
    const expected = {
      expected_time_of_arrival: '2031-01-01T13:00:00Z',
      expected_collection_time: '2031-01-01T09:45:00Z',
    }
    expect((await one().expect(200)).body.data.meta).to.deep.equal(expected)
    const list = await as(world.app, world.geoamey)
      .get('/api/moves')
      .set('Accept', V2)
      .query({ 'filter[date_from]': move.date, 'filter[date_to]': move.date, meta })
      .expect(200)
    expect(list.body.data.find((m: { id: string }) => m.id === move.id).meta).to.deep.equal(expected)
  })
})

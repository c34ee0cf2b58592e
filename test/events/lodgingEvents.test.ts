import { expect } from 'chai'
import { aLodging, aMove, location, moveEvent } from '../support/builders'
import { moveRef, postEvent } from '../support/events'
import { testWorld, type World } from '../support/world'

/** MoveLodgingStart and MoveLodgingEnd through the lodging machine (issue #14). */
describe('Events: overnight stays begin and end by event', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const lodgingStatus = async (id: string) =>
    (await world.services.db('lodgings').where({ id }).first('status')).status as string

  it('when MoveLodgingStart and MoveLodgingEnd are posted at the stay, then it starts and completes; they are important events', async () => {
    const { geoamey } = world
    const move = await aMove(world)
    const lodging = await aLodging(world, move)
    const at = await location(world, 'brmcc')
    const evening = { occurred_at: `${move.date}T19:00:00Z`, recorded_at: `${move.date}T19:00:00Z` }
    const startStay = () =>
      postEvent(world, geoamey, 'MoveLodgingStart', moveRef(move.id), {
        attributes: evening,
        details: { reason: 'overnight_lodging' },
        relationships: { location: at },
      })
    await startStay().expect(409)
    expect(await lodgingStatus(lodging.id)).to.equal('proposed')
    await moveEvent(world, geoamey, move.id, 'accept').expect(204)
    await moveEvent(world, geoamey, move.id, 'start').expect(204)
    await startStay().expect(201)
    expect(await lodgingStatus(lodging.id)).to.equal('started')
    await postEvent(world, geoamey, 'MoveLodgingEnd', moveRef(move.id), { relationships: { location: at } }).expect(201)
    expect(await lodgingStatus(lodging.id)).to.equal('completed')
    const important = await world.services
      .db('move_events')
      .where({ move_id: move.id })
      .whereIn('event_type', ['MoveLodgingStart', 'MoveLodgingEnd'])
      .pluck('location_id')
    expect(important).to.deep.equal([at, at])
  })

  it('when MoveLodgingStart names a location where the move has no stay that day, then it is 409: there is no stay to start', async () => {
    const move = await aMove(world)
    const res = await postEvent(world, world.geoamey, 'MoveLodgingStart', moveRef(move.id), {
      details: { reason: 'overnight_lodging' },
      relationships: { location: await location(world, 'lei') },
    }).expect(409)
    expect(res.body.errors[0]).to.include({ code: 'invalid_transition' })
  })
})

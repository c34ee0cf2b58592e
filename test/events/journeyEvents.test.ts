import { expect } from 'chai'
import { aJourney, aMove, location, moveEvent } from '../support/builders'
import { journeyRef, postEvent } from '../support/events'
import { as, V2 } from '../support/app'
import { testWorld, type World } from '../support/world'

/** Journey events through the journey machine, and the vehicle they set (issue #14). */
describe('Events: journey events change the journey and its vehicle', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const journeyRow = (id: string) => world.services.db('journeys').where({ id }).first('state', 'vehicle')

  it('when JourneyStart, JourneyChangeVehicle and JourneyComplete are posted, then the journey runs and its vehicle is the latest named, which the move meta answers', async () => {
    const { geoamey } = world
    const move = await aMove(world)
    await moveEvent(world, geoamey, move.id, 'accept').expect(204)
    const journey = await aJourney(world, move.id, { by: geoamey })
    await postEvent(world, geoamey, 'JourneyStart', journeyRef(journey.id), {
      details: { vehicle_reg: 'GH34 JKL', vehicle_depot: 'Leeds' },
    }).expect(201)
    const started = await journeyRow(journey.id)
    expect(started.state).to.equal('in_progress')
    expect(started.vehicle).to.include({ registration: 'GH34 JKL', depot: 'Leeds' })
    await postEvent(world, geoamey, 'JourneyChangeVehicle', journeyRef(journey.id), {
      details: { vehicle_reg: 'XY99 ZZZ', previous_vehicle_reg: 'GH34 JKL' },
    }).expect(201)
    await postEvent(world, geoamey, 'JourneyComplete', journeyRef(journey.id)).expect(201)
    const completed = await journeyRow(journey.id)
    expect(completed.state).to.equal('completed')
    expect(completed.vehicle).to.include({ registration: 'XY99 ZZZ', depot: 'Leeds' })
    const res = await as(world.app, geoamey)
      .get(`/api/moves/${move.id}`)
      .set('Accept', V2)
      .query({ meta: 'vehicle_registration' })
      .expect(200)
    expect(res.body.data.meta).to.deep.equal({ vehicle_registration: 'XY99 ZZZ' })
  })

  it('when a journey event the machine does not allow is posted, then it is 409 and nothing is stored', async () => {
    const move = await aMove(world)
    const journey = await aJourney(world, move.id, { by: world.geoamey })
    const before = await world.services.db('move_events').where({ eventable_id: journey.id }).count('* as n').first()
    const unchanged = await journeyRow(journey.id)
    const res = await postEvent(world, world.geoamey, 'JourneyComplete', journeyRef(journey.id), {
      details: { vehicle_reg: 'GH34 JKL' },
    }).expect(409)
    expect(res.body.errors[0]).to.include({ code: 'invalid_transition' })
    expect(res.body.errors[0].meta).to.include({ status: 'proposed' })
    expect(await journeyRow(journey.id)).to.deep.equal(unchanged)
    const after = await world.services.db('move_events').where({ eventable_id: journey.id }).count('* as n').first()
    expect(after).to.deep.equal(before)
  })

  it('when a journey event that changes nothing is posted, then it is stored about the journey with its location', async () => {
    const move = await aMove(world)
    const journey = await aJourney(world, move.id, { by: world.geoamey })
    const gate = await location(world, 'bsi')
    const res = await postEvent(world, world.geoamey, 'JourneyArriveAtOuterGate', journeyRef(journey.id), {
      details: { vehicle_reg: 'AB12 CDE' },
      relationships: { location: gate },
    }).expect(201)
    expect(res.body.data.relationships.eventable.data).to.deep.equal({ type: 'journeys', id: journey.id })
    expect(res.body.data.relationships.location.data).to.deep.equal({ type: 'locations', id: gate })
    const row = await world.services.db('move_events').where({ id: res.body.data.id }).first()
    expect(row).to.include({ move_id: move.id, eventable_type: 'journeys', location_id: gate })
  })
})

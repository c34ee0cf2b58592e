import { expect } from 'chai'
import { as, V2 } from '../support/app'
import { aJourney, aLodging, aMove, location } from '../support/builders'
import { journeyRef, moveRef, postEvent } from '../support/events'
import { countQueries } from '../support/db'
import { testWorld, type World } from '../support/world'

type Resource = { type: string; id: string; attributes: Record<string, unknown>; relationships?: object }

/** A move's timeline and important events from the generic event log (issue #14, reference §1.9). */
describe("Events: a move's timeline and important events", () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const at = (hour: number) => {
    const time = `2031-01-01T${String(hour).padStart(2, '0')}:00:00Z`
    return { attributes: { occurred_at: time, recorded_at: time } }
  }

  it("when a move's events, its journey's and its person's are posted out of order, then its timeline carries them all in occurred_at order, and important events only the move's incidents and stays", async () => {
    const { frontend, geoamey } = world
    const move = await aMove(world)
    await aLodging(world, move)
    const journey = await aJourney(world, move.id, { by: geoamey })
    const person = (await world.services.db('profiles').where({ id: move.profileId }).first('person_id')).person_id
    const bsi = await location(world, 'bsi')
    const incident = {
      details: { police_personnel_numbers: ['PC1'], reported_at: '2031-01-01T10:00:00Z' },
      relationships: { location: bsi },
    }
    await postEvent(world, geoamey, 'JourneyPersonLeaveVehicle', journeyRef(journey.id), at(14)).expect(201)
    await postEvent(world, frontend, 'PersonMoveUsedForce', moveRef(move.id), { ...incident, ...at(12) }).expect(201)
    await postEvent(
      world,
      frontend,
      'PersonMoveDeathInCustody',
      { type: 'people', id: person },
      { ...incident, ...at(13) },
    ).expect(201)
    await postEvent(world, geoamey, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id), at(11)).expect(201)

    const res = await as(world.app, frontend)
      .get(`/api/moves/${move.id}`)
      .set('Accept', V2)
      .query({ include: 'timeline_events,important_events' })
      .expect(200)
    const included = res.body.included as Resource[]
    const named = (name: string) =>
      (res.body.data.relationships[name].data as { id: string }[]).map(({ id }) =>
        included.find(r => r.type === 'events' && r.id === id)!,
      )
    const timeline = named('timeline_events')
    const types = timeline.map(e => String(e.attributes.event_type))
    expect(types).to.have.members([
      'MoveRequested',
      'LodgingCreate',
      'JourneyCreate',
      'MoveNotifyPremisesOfArrivalIn30Mins',
      'PersonMoveUsedForce',
      'PersonMoveDeathInCustody',
      'JourneyPersonLeaveVehicle',
    ])
    // The posted ones, by when they happened, not when they were posted.
    expect(types.filter(t => /^(Person|JourneyPerson|MoveNotify)/.test(t))).to.deep.equal([
      'MoveNotifyPremisesOfArrivalIn30Mins',
      'PersonMoveUsedForce',
      'PersonMoveDeathInCustody',
      'JourneyPersonLeaveVehicle',
    ])
    const occurred = timeline.map(e => String(e.attributes.occurred_at))
    expect(occurred).to.deep.equal([...occurred].sort())
    // A single move's events are the full resources.
    expect(timeline[0]!.attributes).to.have.property('details')
    expect(named('important_events').map(e => e.attributes.event_type)).to.deep.equal(['PersonMoveUsedForce'])
  })

  it('when a list includes timelines, then events are the short form and the statements do not grow with the page', async () => {
    const first = await aMove(world)
    await postEvent(world, world.geoamey, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(first.id)).expect(201)
    const list = () =>
      as(world.app, world.frontend)
        .get('/api/moves')
        .set('Accept', V2)
        .query({
          'filter[date_from]': first.date,
          'filter[date_to]': first.date,
          include: 'timeline_events,important_events',
        })
        .expect(200)
    const events = (await list()).body.included.filter((r: Resource) => r.type === 'events') as Resource[]
    expect(events).to.have.length(2)
    for (const event of events) {
      expect(Object.keys(event.attributes).sort()).to.deep.equal(['classification', 'event_type', 'occurred_at'])
    }
    const one = await countQueries(world.services, list)
    for (const _ of [1, 2, 3]) {
      const move = await aMove(world, { date: first.date })
      await postEvent(world, world.geoamey, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id)).expect(201)
    }
    expect(await countQueries(world.services, list)).to.equal(one)
  })
})

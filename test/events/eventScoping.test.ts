import { expect } from 'chai'
import { as, V2 } from '../support/app'
import { aMove, aPerson, location } from '../support/builders'
import { moveRef, postEvent } from '../support/events'
import { testWorld, type World } from '../support/world'

/** Who may post and read which events, and what the server stamps on them (issue #14). */
describe('Events: a supplier posts and reads only its own; the frontend any', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const get = (by: World['frontend'], id: string) => as(world.app, by).get(`/api/events/${id}`).set('Accept', V2)

  it("when a supplier posts to or reads another supplier's move's event, then it is 404 and nothing is stored", async () => {
    const move = await aMove(world)
    const refused = await postEvent(world, world.serco, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id)).expect(
      404,
    )
    expect(refused.body.errors[0].code).to.equal('not_found')
    expect(await world.services.db('move_events').where({ move_id: move.id }).pluck('event_type')).to.deep.equal([
      'MoveRequested',
    ])
    const own = await postEvent(world, world.geoamey, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id)).expect(
      201,
    )
    await get(world.serco, own.body.data.id).expect(404)
    await get(world.geoamey, own.body.data.id).expect(200)
  })

  it('when a supplier posts, then its supplier is stamped and X-Current-User is created_by; without the header, the client', async () => {
    const move = await aMove(world)
    const res = await postEvent(world, world.geoamey, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id))
      .set('X-Current-User', 'jsmith')
      .expect(201)
    const geoamey = (await world.services.db('suppliers').where({ key: 'geoamey' }).first('id')).id
    expect(res.body.data.relationships.supplier.data).to.deep.equal({ type: 'suppliers', id: geoamey })
    expect(res.body.data.attributes.created_by).to.equal('jsmith')
    const one = await get(world.geoamey, res.body.data.id).expect(200)
    expect(one.body.data.attributes).to.include({ created_by: 'jsmith', classification: 'default' })
    const plain = await postEvent(
      world,
      world.frontend,
      'MoveNotifyPremisesOfArrivalIn30Mins',
      moveRef(move.id),
    ).expect(201)
    expect(plain.body.data.relationships.supplier.data).to.equal(null)
    expect(plain.body.data.attributes.created_by).to.be.a('string').and.not.equal('jsmith')
  })

  it('when an incident is posted without fault_classification, then a supplier is refused at the member and the frontend is not', async () => {
    const move = await aMove(world)
    const options = {
      details: { police_personnel_numbers: ['PC123'], reported_at: '2031-01-01T10:00:00Z' },
      relationships: { location: await location(world, 'bsi') },
    }
    const refused = await postEvent(world, world.geoamey, 'PersonMoveAssault', moveRef(move.id), options).expect(422)
    expect(refused.body.errors.map((e: { source: unknown }) => e.source)).to.deep.equal([
      { pointer: '/data/attributes/details/fault_classification' },
    ])
    const res = await postEvent(world, world.frontend, 'PersonMoveAssault', moveRef(move.id), options).expect(201)
    expect(res.body.data.attributes.classification).to.equal('incident')
  })

  it('when a lodging event is posted, then it is 422 at event_type: only the server writes them', async () => {
    const move = await aMove(world)
    const res = await postEvent(world, world.frontend, 'LodgingCreate', moveRef(move.id), {
      details: { start_date: move.date, end_date: move.date },
      relationships: { location: await location(world, 'bsi') },
    }).expect(422)
    expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/attributes/event_type' })
  })

  it('when a relationship names no location, then it is 422 at the relationship and nothing is stored', async () => {
    const move = await aMove(world)
    const missing = await postEvent(world, world.geoamey, 'MoveLockout', moveRef(move.id), {
      relationships: { from_location: '00000000-0000-4000-8000-000000000000' },
    }).expect(422)
    expect(missing.body.errors[0].source).to.deep.equal({ pointer: '/data/relationships/from_location' })
    expect(await world.services.db('move_events').where({ move_id: move.id }).count('* as n').first()).to.deep.equal({
      n: 1,
    })
  })

  it('when details carry members the type does not keep, then they are dropped and listed in meta', async () => {
    const move = await aMove(world)
    const res = await postEvent(world, world.frontend, 'MoveNotifyPremisesOfDropOffEta', moveRef(move.id), {
      details: { expected_at: '2031-01-01T12:00:00Z', colour: 'blue' },
    }).expect(201)
    expect(res.body.data.attributes.details).to.deep.equal({ expected_at: '2031-01-01T12:00:00Z' })
    expect(res.body.meta).to.deep.equal({ ignored_details: ['colour'] })
  })

  /** Force used on a person of their own, posted by `by` (a supplier gives the fault classification). */
  async function forceUsedOnAPerson(by: World['frontend']) {
    const person = await aPerson(world)
    const details = { police_personnel_numbers: ['PC1'], reported_at: '2031-01-01T10:00:00Z' }
    const res = await postEvent(
      world,
      by,
      'PersonMoveUsedForce',
      { type: 'people', id: person },
      {
        details: by === world.frontend ? details : { ...details, fault_classification: 'was_not_supplier' },
        relationships: { location: await location(world, 'bsi') },
      },
    ).expect(201)
    return { person, event: res.body.data }
  }

  it('when the frontend posts about a person, then the event is about the person and suppliers cannot read it', async () => {
    const { person, event } = await forceUsedOnAPerson(world.frontend)
    expect(event.relationships.eventable.data).to.deep.equal({ type: 'people', id: person })
    await get(world.geoamey, event.id).expect(404)
  })

  it('when a supplier posts about a person, then it reads its event back and another supplier cannot', async () => {
    const { event } = await forceUsedOnAPerson(world.geoamey)
    await get(world.geoamey, event.id).expect(200)
    await get(world.serco, event.id).expect(404)
  })
})

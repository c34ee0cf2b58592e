import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, patch, post } from '../support/builders'
import { testWorld, type World } from '../support/world'

const flightBody = (attributes: Record<string, unknown>) => ({ data: { type: 'extradition_flight', attributes } })

describe('Extradition flights (issue #21)', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  /** An extradition move from Leeds to the Old Bailey (extradition capable), serco's. */
  const anExtradition = () => aMove(world, { from: 'lei', to: 'oldbcc', moveType: 'extradition' })
  const flightUrl = (moveId: string) => `/api/moves/${moveId}/extradition_flight`

  it('when a flight is recorded for an extradition move, then the move answers it', async () => {
    const move = await anExtradition()
    const created = await post(world, world.frontend, flightUrl(move.id))
      .send(flightBody({ flight_number: 'BA0123', flight_time: '2031-03-01T07:45:00Z' }))
      .expect(201)
    expect(created.body.data).to.deep.include({ type: 'extradition_flight' })
    expect(created.body.data.attributes).to.deep.include({
      flight_number: 'BA0123',
      flight_time: '2031-03-01T07:45:00.000Z',
    })
    expect(created.body.data.relationships.move.data).to.deep.equal({ type: 'moves', id: move.id })
    const shown = await as(world.app, world.frontend).get(flightUrl(move.id)).expect(200)
    expect(shown.body.data.id).to.equal(created.body.data.id)
  })

  it('when a move has no flight, then asking for it or changing it is 404', async () => {
    const move = await anExtradition()
    await as(world.app, world.frontend).get(flightUrl(move.id)).expect(404)
    await patch(world, world.frontend, flightUrl(move.id))
      .send(flightBody({ flight_number: 'X1' }))
      .expect(404)
  })

  it('when a second flight is posted, then it is 422 taken naming the first, which PATCH changes', async () => {
    const move = await anExtradition()
    const first = await post(world, world.frontend, flightUrl(move.id))
      .send(flightBody({ flight_number: 'BA0123', flight_time: '2031-03-01T07:45:00Z' }))
      .expect(201)
    const second = await post(world, world.frontend, flightUrl(move.id))
      .send(flightBody({ flight_number: 'EZY99', flight_time: '2031-03-02T07:45:00Z' }))
      .expect(422)
    expect(second.body.errors[0]).to.deep.include({ code: 'taken' })
    expect(second.body.errors[0].meta).to.deep.equal({ existing_id: first.body.data.id })

    const changed = await patch(world, world.frontend, flightUrl(move.id))
      .send(flightBody({ flight_time: '2031-03-02T08:00:00+01:00' }))
      .expect(200)
    expect(changed.body.data.attributes).to.deep.include({
      flight_number: 'BA0123',
      flight_time: '2031-03-02T07:00:00.000Z',
    })
  })

  it('when the move is not an extradition, then a flight is 422 at move_type', async () => {
    const move = await aMove(world, { from: 'lei', to: 'leedcc', moveType: 'court_appearance' })
    const res = await post(world, world.frontend, flightUrl(move.id))
      .send(flightBody({ flight_number: 'BA0123', flight_time: '2031-03-01T07:45:00Z' }))
      .expect(422)
    expect(res.body.errors[0].source.pointer).to.equal('/data/attributes/move_type')
  })

  it('when the flight number or time is missing or not a time, then it is 422 at each member', async () => {
    const move = await anExtradition()
    const res = await post(world, world.frontend, flightUrl(move.id))
      .send(flightBody({ flight_time: '2031-02-30T07:45:00Z' }))
      .expect(422)
    const pointers = res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)
    expect(pointers).to.include.members(['/data/attributes/flight_number', '/data/attributes/flight_time'])
  })

  it("when a supplier asks for another supplier's move's flight, then it is 404, and it may not record one", async () => {
    const move = await anExtradition()
    await post(world, world.frontend, flightUrl(move.id))
      .send(flightBody({ flight_number: 'BA0123', flight_time: '2031-03-01T07:45:00Z' }))
      .expect(201)
    await as(world.app, world.geoamey).get(flightUrl(move.id)).expect(404)
    await as(world.app, world.serco).get(flightUrl(move.id)).expect(200)
    await patch(world, world.geoamey, flightUrl(move.id))
      .send(flightBody({ flight_number: 'X1' }))
      .expect(404)
  })
})

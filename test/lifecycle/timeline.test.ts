import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { location, aMove, moveEvent, anAllocation } from '../support/builders'
import { locationRef } from '../support/bodies'
import { countQueries } from '../support/db'

type Resource = {
  type: string
  id: string
  attributes: Record<string, unknown>
  relationships: Record<string, { data: unknown }>
}

describe('Book a Secure Move: the timeline', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let geoamey: TestClient
  let serco: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend, geoamey, serco } = world)
  })

  const v2 = (client: TestClient) => ({
    get: (url: string) => as(app, client).get(url).set('Accept', 'application/vnd.api+json; version=2'),
  })

  it("when a move's timeline is included, then every step from request to completion is there in order, with who recorded it and its details", async () => {
    const move = await aMove(world, { by: geoamey, from: 'bsi', to: 'iwi' })
    await moveEvent(world, geoamey, move.id, 'accept', { timestamp: '2031-01-01T08:00:00Z' }).expect(204)
    await moveEvent(world, geoamey, move.id, 'start', { timestamp: '2031-01-01T09:00:00Z' }).expect(204)
    await moveEvent(
      world,
      geoamey,
      move.id,
      'redirects',
      { timestamp: '2031-01-01T10:00:00Z', reason: 'no_space' },
      { to_location: locationRef(await location(world, 'bmi')) },
    ).expect(204)
    await moveEvent(world, geoamey, move.id, 'lockouts', {
      timestamp: '2031-01-01T18:00:00Z',
      reason: 'traffic_issues',
      notes: 'held at the court overnight',
    }).expect(204)
    await moveEvent(world, geoamey, move.id, 'complete', { timestamp: '2031-01-02T11:00:00+01:00' }).expect(204)

    const res = await v2(geoamey)
      .get(`/api/moves/${move.id}`)
      .query({ include: 'timeline_events,important_events' })
      .expect(200)
    const included = res.body.included as Resource[]
    const timeline = (res.body.data.relationships.timeline_events.data as { id: string }[]).map(({ id }) =>
      included.find(r => r.type === 'events' && r.id === id)!,
    )
    expect(timeline.map(e => e.attributes.event_type)).to.deep.equal([
      'MoveRequested',
      'MoveAccept',
      'MoveStart',
      'MoveRedirect',
      'MoveLockout',
      'MoveComplete',
    ])
    expect(timeline[5]!.attributes.occurred_at).to.equal('2031-01-02T10:00:00.000Z')
    const lockout = timeline[4]!
    expect(lockout.attributes).to.include({ notes: 'held at the court overnight' })
    expect(lockout.attributes.details).to.deep.equal({ reason: 'traffic_issues' })
    expect(lockout.attributes.created_by).to.be.a('string')
    expect(lockout.attributes.recorded_at).to.be.a('string')
    expect(lockout.relationships.eventable.data).to.deep.equal({ type: 'moves', id: move.id })
    // None of these is medical, an incident, self-harm, a handover, a property change or a stay (issue #14).
    expect(res.body.data.relationships.important_events.data).to.deep.equal([])

    const one = await v2(geoamey).get(`/api/events/${lockout.id}`).query({ include: 'eventable' }).expect(200)
    expect(one.body.data.attributes.event_type).to.equal('MoveLockout')
    expect(one.body.included[0]).to.include({ type: 'moves', id: move.id })
  })

  it('when the timeline is not included, then none is shown; an event of a move the supplier cannot see is 404', async () => {
    const move = await aMove(world, { from: 'bsi', to: 'iwi' })
    const plain = await v2(frontend).get(`/api/moves/${move.id}`).expect(200)
    expect(plain.body.data.relationships).not.to.have.property('timeline_events')
    const event = await services.db('move_events').where({ move_id: move.id }).first('id')
    await v2(serco).get(`/api/events/${event.id}`).expect(404)
    await v2(frontend).get(`/api/events/${event.id}`).expect(200)
    await v2(frontend).get('/api/events/999999999999').expect(404)
    await v2(frontend).get('/api/events/abc').expect(400)
  })

  it("when an allocation is created, then its moves' MoveRequested events name the client", async () => {
    const allocation = await anAllocation(world, { attributes: { moves_count: 1 } })
    const res = await v2(frontend)
      .get(`/api/moves/${allocation.moveIds[0]}`)
      .query({ include: 'timeline_events' })
      .expect(200)
    const requested = (res.body.included as Resource[]).find(r => r.attributes.event_type === 'MoveRequested')!
    const name = (await services.db('api_clients').where({ id: frontend.id }).first('name')).name
    expect(requested.attributes.created_by).to.equal(name)
  })

  it('when a page of moves includes timelines, then they are loaded with one query, whatever the number of moves', async () => {
    const date = (await aMove(world)).date
    const list = () =>
      v2(frontend)
        .get('/api/moves')
        .query({ 'filter[date_from]': date, 'filter[date_to]': date, include: 'timeline_events' })
        .expect(200)
    const one = await countQueries(services, list)
    for (const _ of [1, 2, 3]) await aMove(world, { date })
    const res = await list()
    expect(res.body.data).to.have.length(4)
    expect(await countQueries(services, list)).to.equal(one)
  })
})

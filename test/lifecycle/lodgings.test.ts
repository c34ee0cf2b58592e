import { expect } from 'chai'
import type { Express } from 'express'
import { addDays } from '../../lib/calendar'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, location, aMove, moveEvent, aMoveUnderWay, anAllocation, aLodging } from '../support/builders'
import { locationRef, eventBody } from '../support/bodies'
import { onPostgres } from '../support/db'

type Resource = {
  type: string
  id: string
  attributes: Record<string, unknown>
  relationships: Record<string, { data: unknown }>
}

describe('Book a Secure Move: lodgings', () => {
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

  const postLodging = (client: TestClient, moveId: string, attributes: object, relationships: object) =>
    as(app, client)
      .post(`/api/moves/${moveId}/lodgings`)
      .set('Idempotency-Key', key())
      .send({ data: { type: 'lodgings', attributes, relationships } })

  const addLodging = async (client: TestClient, moveId: string, start: string, nights = 1, at = 'brmcc') =>
    (await aLodging(world, { id: moveId, date: start }, { by: client, nights, at })) as Resource

  const lodgingEvent = (client: TestClient, moveId: string, id: string, event: string, attributes: object = {}) =>
    as(app, client)
      .post(`/api/moves/${moveId}/lodgings/${id}/${event}`)
      .set('Idempotency-Key', key())
      .send(eventBody(event, { timestamp: '2031-01-01T20:00:00Z', ...attributes }))

  const patchLodging = (client: TestClient, moveId: string, id: string, body: object) =>
    as(app, client)
      .patch(`/api/moves/${moveId}/lodgings/${id}`)
      .set('Idempotency-Key', key())
      .send({ data: { type: 'lodgings', id, ...body } })

  const status = async (id: string) => (await services.db('lodgings').where({ id }).first('status')).status as string

  const inTransit = (client: TestClient) => aMoveUnderWay(world, { by: client, from: 'bsi', to: 'iwi' })

  describe('an overnight stay', () => {
    it('when a stay is planned, started and completed while the move is under way, then each step is on the timeline', async () => {
      const move = await inTransit(geoamey)
      const created = await postLodging(
        geoamey,
        move.id,
        { start_date: move.date, end_date: addDays(move.date, 1) },
        { location: locationRef(await location(world, 'brmcc')) },
      )
        .query({ include: 'location' })
        .expect(201)
      const lodging = created.body.data as Resource
      expect(created.headers.location).to.match(new RegExp(`/api/moves/${move.id}/lodgings/${lodging.id}$`))
      expect(lodging.attributes).to.include({
        status: 'proposed',
        start_date: move.date,
        end_date: addDays(move.date, 1),
      })
      expect(lodging.relationships.move.data).to.deep.equal({ type: 'moves', id: move.id })
      expect(created.body.included[0]).to.include({ type: 'locations', id: await location(world, 'brmcc') })

      await lodgingEvent(geoamey, move.id, lodging.id, 'start', { notes: 'arrived at 19:40' }).expect(204)
      const early = await moveEvent(world, geoamey, move.id, 'complete').expect(409)
      expect(early.body.errors[0].meta).to.include({ status: 'in_transit', lodging_id: lodging.id })
      await lodgingEvent(geoamey, move.id, lodging.id, 'complete', { timestamp: '2031-01-02T07:00:00Z' }).expect(204)
      await moveEvent(world, geoamey, move.id, 'complete', { timestamp: '2031-01-02T11:00:00Z' }).expect(204)
      expect(await status(lodging.id)).to.equal('completed')
      const one = await as(app, geoamey).get(`/api/moves/${move.id}/lodgings/${lodging.id}`).expect(200)
      expect(one.body.data.attributes).to.include({ status: 'completed', end_date: addDays(move.date, 1) })

      const res = await as(app, geoamey)
        .get(`/api/moves/${move.id}`)
        .set('Accept', 'application/vnd.api+json; version=2')
        .query({ include: 'timeline_events,lodgings,lodgings.location' })
        .expect(200)
      const included = res.body.included as Resource[]
      expect(res.body.data.relationships.lodgings.data).to.deep.equal([{ type: 'lodgings', id: lodging.id }])
      expect(included.find(r => r.type === 'lodgings')!.attributes.status).to.equal('completed')
      const timeline = (res.body.data.relationships.timeline_events.data as { id: string }[]).map(
        ({ id }) => included.find(r => r.type === 'events' && r.id === id)!.attributes,
      )
      // LodgingCreate is recorded when it is made (now); the supplier's events carry their own 2031 times.
      expect(timeline.map(e => e.event_type)).to.deep.equal([
        'MoveRequested',
        'LodgingCreate',
        'MoveAccept',
        'MoveStart',
        'MoveLodgingStart',
        'MoveLodgingEnd',
        'MoveComplete',
      ])
      const start = timeline.find(e => e.event_type === 'MoveLodgingStart')!
      expect(start.notes).to.equal('arrived at 19:40')
      expect(start.details).to.deep.include({
        lodging_id: lodging.id,
        reason: 'overnight_lodging',
        from_status: 'proposed',
        to_status: 'started',
      })
    })

    it('when an event is one the lodging machine does not allow, then it is 409 and nothing changes', async () => {
      const move = await inTransit(frontend)
      const lodging = await addLodging(frontend, move.id, move.date)
      const refused = await lodgingEvent(frontend, move.id, lodging.id, 'complete').expect(409)
      expect(refused.body.errors[0].meta).to.deep.equal({ status: 'proposed', event: 'complete' })
      await lodgingEvent(frontend, move.id, lodging.id, 'start').expect(204)
      await lodgingEvent(frontend, move.id, lodging.id, 'start').expect(409)
      await lodgingEvent(frontend, move.id, lodging.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(409)
      expect(await status(lodging.id)).to.equal('started')
      await lodgingEvent(frontend, move.id, lodging.id, 'complete').expect(204)
      await lodgingEvent(frontend, move.id, lodging.id, 'complete').expect(409)
      await lodgingEvent(frontend, move.id, lodging.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(409)

      const other = await addLodging(frontend, move.id, addDays(move.date, 1))
      await lodgingEvent(frontend, move.id, other.id, 'cancel', { cancellation_reason: 'cancelled_by_pmu' }).expect(204)
      for (const event of ['start', 'complete', 'cancel']) {
        const res = await lodgingEvent(frontend, move.id, other.id, event, {
          cancellation_reason: 'made_in_error',
        }).expect(409)
        expect(res.body.errors[0].meta.status).to.equal('cancelled')
      }
      const row = await services.db('lodgings').where({ id: other.id }).first()
      expect(row).to.include({ status: 'cancelled', cancellation_reason: 'cancelled_by_pmu' })
    })

    it('when a stay starts with a reason, then it is recorded; a reason the reference does not know is 422', async () => {
      const move = await inTransit(frontend)
      const lodging = await addLodging(frontend, move.id, move.date)
      const bad = await lodgingEvent(frontend, move.id, lodging.id, 'start', { reason: 'holiday' }).expect(422)
      expect(bad.body.errors[0].source.pointer).to.equal('/data/attributes/reason')
      expect(await status(lodging.id)).to.equal('proposed')
      await lodgingEvent(frontend, move.id, lodging.id, 'start', { reason: 'court_cells' }).expect(204)
      const event = await services.db('move_events').where({ move_id: move.id, event_type: 'MoveLodgingStart' }).first()
      expect(event.details.reason).to.equal('court_cells')
    })

    it('when the move is not in transit, then a stay cannot start (409)', async () => {
      const move = await aMove(world)
      const lodging = await addLodging(frontend, move.id, move.date)
      const res = await lodgingEvent(frontend, move.id, lodging.id, 'start').expect(409)
      expect(res.body.errors[0].meta).to.include({ status: 'proposed', move_status: 'requested' })
      expect(await status(lodging.id)).to.equal('proposed')
    })
  })

  describe('planning', () => {
    it('when the dates or location are missing, out of order or before the move, then the stay is refused', async () => {
      const move = await aMove(world)
      const bad = await postLodging(frontend, move.id, { start_date: '2031-02-30' }, {}).expect(422)
      expect(bad.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.have.members([
        '/data/attributes/start_date',
        '/data/attributes/end_date',
        '/data/relationships/location',
      ])
      const brmcc = { location: locationRef(await location(world, 'brmcc')) }
      const backwards = await postLodging(
        frontend,
        move.id,
        { start_date: addDays(move.date, 1), end_date: move.date },
        brmcc,
      ).expect(422)
      expect(backwards.body.errors[0].source.pointer).to.equal('/data/attributes/end_date')
      const early = await postLodging(
        frontend,
        move.id,
        { start_date: addDays(move.date, -1), end_date: move.date },
        brmcc,
      ).expect(422)
      expect(early.body.errors[0].source.pointer).to.equal('/data/attributes/start_date')
      await postLodging(
        frontend,
        move.id,
        { start_date: move.date, end_date: addDays(move.date, 1) },
        { location: locationRef(crypto.randomUUID()) },
      ).expect(404)
      await as(app, frontend)
        .post(`/api/moves/${move.id}/lodgings`)
        .set('Idempotency-Key', key())
        .send({
          data: {
            type: 'journeys',
            attributes: { start_date: move.date, end_date: addDays(move.date, 1) },
            relationships: brmcc,
          },
        })
        .expect(409)
      expect(await services.db('lodgings').where({ move_id: move.id }).count('* as n').first()).to.deep.equal({
        n: 0,
      })
    })

    it('when a stay shares a night with another, then it is 422 taken, unless that one is cancelled', async () => {
      const move = await aMove(world)
      const first = await addLodging(frontend, move.id, move.date, 2)
      const clash = await postLodging(
        frontend,
        move.id,
        { start_date: addDays(move.date, 1), end_date: addDays(move.date, 3) },
        { location: locationRef(await location(world, 'lei')) },
      ).expect(422)
      expect(clash.body.errors[0]).to.include({ code: 'taken' })
      expect(clash.body.errors[0].meta).to.deep.equal({ existing_id: first.id })
      await addLodging(frontend, move.id, addDays(move.date, 2))
      await lodgingEvent(frontend, move.id, first.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)
      await addLodging(frontend, move.id, move.date, 2)
      const list = await as(app, frontend).get(`/api/moves/${move.id}/lodgings`).expect(200)
      expect(list.body.data.map((l: Resource) => l.attributes.start_date)).to.deep.equal([
        move.date,
        addDays(move.date, 2),
      ])
    })

    it('when the move is cancelled or completed, then a new stay is 409', async () => {
      const move = await aMove(world)
      await moveEvent(world, frontend, move.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)
      const res = await postLodging(
        frontend,
        move.id,
        { start_date: move.date, end_date: addDays(move.date, 1) },
        { location: locationRef(await location(world, 'brmcc')) },
      ).expect(409)
      expect(res.body.errors[0].meta).to.deep.equal({ status: 'cancelled' })
    })
  })

  describe('changing a stay', () => {
    it('when a stay is lengthened or shortened, then the later planned stays move by as many days, recorded as LodgingUpdate', async () => {
      const move = await aMove(world)
      const first = await addLodging(frontend, move.id, move.date)
      const second = await addLodging(frontend, move.id, addDays(move.date, 1))
      const third = await addLodging(frontend, move.id, addDays(move.date, 2))
      const res = await patchLodging(frontend, move.id, first.id, {
        attributes: { end_date: addDays(move.date, 3) },
      }).expect(200)
      expect(res.body.data.attributes.end_date).to.equal(addDays(move.date, 3))
      const list = await as(app, frontend).get(`/api/moves/${move.id}/lodgings`).expect(200)
      expect(list.body.data.map((l: Resource) => [l.id, l.attributes.start_date, l.attributes.end_date])).to.deep.equal(
        [
          [first.id, move.date, addDays(move.date, 3)],
          [second.id, addDays(move.date, 3), addDays(move.date, 4)],
          [third.id, addDays(move.date, 4), addDays(move.date, 5)],
        ],
      )
      const event = await services.db('move_events').where({ move_id: move.id, event_type: 'LodgingUpdate' }).first()
      expect(event.details).to.deep.include({
        lodging_id: first.id,
        old_end_date: addDays(move.date, 1),
        end_date: addDays(move.date, 3),
      })
      expect(event.details.shifted_lodging_ids).to.have.members([second.id, third.id])

      await patchLodging(frontend, move.id, first.id, { attributes: { end_date: addDays(move.date, 1) } }).expect(200)
      const shortened = await as(app, frontend).get(`/api/moves/${move.id}/lodgings`).expect(200)
      expect(shortened.body.data.map((l: Resource) => [l.attributes.start_date, l.attributes.end_date])).to.deep.equal([
        [move.date, addDays(move.date, 1)],
        [addDays(move.date, 1), addDays(move.date, 2)],
        [addDays(move.date, 2), addDays(move.date, 3)],
      ])
    })

    it("when a stay's location is changed, then a planned one moves, one under way is 409, and the start date never changes", async () => {
      const move = await inTransit(frontend)
      const lodging = await addLodging(frontend, move.id, move.date)
      const leeds = await location(world, 'lei')
      const moved = await patchLodging(frontend, move.id, lodging.id, {
        relationships: { location: locationRef(leeds) },
      }).expect(200)
      expect(moved.body.data.relationships.location.data.id).to.equal(leeds)
      await patchLodging(frontend, move.id, lodging.id, { attributes: { start_date: move.date } }).expect(422)
      await lodgingEvent(frontend, move.id, lodging.id, 'start').expect(204)
      const refused = await patchLodging(frontend, move.id, lodging.id, {
        relationships: { location: locationRef(await location(world, 'brmcc')) },
      }).expect(409)
      expect(refused.body.errors[0].meta).to.deep.equal({ status: 'started', event: 'relocate' })
      await patchLodging(frontend, move.id, lodging.id, { attributes: { end_date: addDays(move.date, 2) } }).expect(200)
      await lodgingEvent(frontend, move.id, lodging.id, 'complete').expect(204)
      await patchLodging(frontend, move.id, lodging.id, { attributes: { end_date: addDays(move.date, 3) } }).expect(409)
    })
  })

  describe('cancelling', () => {
    it('when a stay is cancelled, then it needs a lodging cancellation reason, and a comment when the reason is other', async () => {
      const move = await aMove(world)
      const lodging = await addLodging(frontend, move.id, move.date)
      const wrong = await lodgingEvent(frontend, move.id, lodging.id, 'cancel', {
        cancellation_reason: 'tornado_event',
      }).expect(422)
      expect(wrong.body.errors[0].source.pointer).to.equal('/data/attributes/cancellation_reason')
      const bare = await lodgingEvent(frontend, move.id, lodging.id, 'cancel', { cancellation_reason: 'other' }).expect(
        422,
      )
      expect(bare.body.errors[0].source.pointer).to.equal('/data/attributes/cancellation_reason_comment')
      expect(await status(lodging.id)).to.equal('proposed')
      await lodgingEvent(frontend, move.id, lodging.id, 'cancel', {
        cancellation_reason: 'other',
        cancellation_reason_comment: 'bed no longer available',
      }).expect(204)
      const row = await services.db('lodgings').where({ id: lodging.id }).first()
      expect(row).to.include({ cancellation_reason: 'other', cancellation_reason_comment: 'bed no longer available' })
    })

    it("when a move's stays are cancelled at once, then every planned one is cancelled and the one under way is left", async () => {
      const move = await inTransit(frontend)
      const tonight = await addLodging(frontend, move.id, move.date)
      const later = [
        await addLodging(frontend, move.id, addDays(move.date, 1)),
        await addLodging(frontend, move.id, addDays(move.date, 2)),
      ]
      await lodgingEvent(frontend, move.id, tonight.id, 'start').expect(204)
      await as(app, frontend)
        .post(`/api/moves/${move.id}/lodgings/cancel`)
        .set('Idempotency-Key', key())
        .send({
          data: {
            type: 'cancels',
            attributes: { timestamp: '2031-01-01T21:00:00Z', cancellation_reason: 'cancelled_by_pmu' },
          },
        })
        .expect(204)
      expect(await status(tonight.id)).to.equal('started')
      for (const l of later) expect(await status(l.id)).to.equal('cancelled')
      const events = await services.db('move_events').where({ move_id: move.id, event_type: 'LodgingCancel' })
      expect(events.map(e => e.details.lodging_id)).to.have.members(later.map(l => l.id))
    })

    it('when the move or its allocation is cancelled, then its planned stays are released', async () => {
      const move = await aMove(world)
      const lodging = await addLodging(frontend, move.id, move.date)
      await moveEvent(world, frontend, move.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)
      const row = await services.db('lodgings').where({ id: lodging.id }).first()
      expect(row).to.include({ status: 'cancelled', cancellation_reason: 'other' })
      expect(row.cancellation_reason_comment).to.equal('The move was cancelled')
      const event = await services.db('move_events').where({ move_id: move.id, event_type: 'LodgingCancel' }).first()
      expect(event.details).to.include({ lodging_id: lodging.id, to_status: 'cancelled' })
      const list = await as(app, frontend).get(`/api/moves/${move.id}/lodgings`).expect(200)
      expect(list.body.data).to.deep.equal([])

      const allocation = await anAllocation(world, { attributes: { moves_count: 1 } })
      const planned = await addLodging(frontend, allocation.moveIds[0]!, allocation.date)
      await as(app, frontend)
        .post(`/api/allocations/${allocation.id}/cancel`)
        .set('Idempotency-Key', key())
        .send({
          data: {
            type: 'cancels',
            attributes: { timestamp: '2031-01-01T10:00:00Z', cancellation_reason: 'cancelled_by_pmu' },
          },
        })
        .expect(204)
      const released = await services.db('lodgings').where({ id: planned.id }).first()
      expect(released).to.include({ status: 'cancelled', cancellation_reason_comment: 'The allocation was cancelled' })
    })
  })

  describe('finding moves through their lodgings', () => {
    it('when moves are listed by location and date, then a move arrives at a lodging on its start date and leaves on its end date', async () => {
      const move = await aMove(world, { from: 'bsi', to: 'iwi' })
      const lodging = await addLodging(frontend, move.id, move.date, 2)
      const brmcc = await location(world, 'brmcc')
      const found = async (filter: Record<string, string>) => {
        const res = await as(app, frontend)
          .get('/api/moves')
          .query(Object.fromEntries(Object.entries(filter).map(([k, v]) => [`filter[${k}]`, v])))
          .query({ per_page: 100 })
          .expect(200)
        return res.body.data.some((m: Resource) => m.id === move.id)
      }
      const on = (date: string) => ({ date_from: date, date_to: date })
      const leaving = addDays(move.date, 2)
      expect(await found({ to_location_id: brmcc, ...on(move.date) })).to.equal(true)
      expect(await found({ from_location_id: brmcc, ...on(leaving) })).to.equal(true)
      expect(await found({ from_location_id: brmcc, ...on(move.date) })).to.equal(false)
      expect(await found({ location_id: brmcc, ...on(leaving) })).to.equal(true)
      expect(await found({ location_id: brmcc, ...on(addDays(move.date, 1)) })).to.equal(false)
      // With two kinds of location filter a lodging, being one place, is no edge.
      const iwi = await location(world, 'iwi')
      expect(await found({ from_location_id: brmcc, to_location_id: iwi, ...on(leaving) })).to.equal(false)
      expect(await found({ from_location_id: await location(world, 'bsi'), ...on(move.date) })).to.equal(true)
      await lodgingEvent(frontend, move.id, lodging.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)
      expect(await found({ location_id: brmcc, ...on(leaving) })).to.equal(false)
    })
  })

  describe('who may see them', () => {
    it("when a person is lodged at another supplier's location, then that supplier sees the move until the stay is cancelled", async () => {
      const move = await aMove(world, { by: geoamey, from: 'bsi', to: 'iwi' })
      await as(app, serco).get(`/api/moves/${move.id}/lodgings`).expect(404)
      const lodging = await addLodging(geoamey, move.id, move.date, 1, 'lei')
      const seen = await as(app, serco).get(`/api/moves/${move.id}/lodgings`).expect(200)
      expect(seen.body.data.map((l: Resource) => l.id)).to.deep.equal([lodging.id])
      await as(app, serco).get(`/api/moves/${move.id}`).expect(200)
      await lodgingEvent(geoamey, move.id, lodging.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)
      await as(app, serco).get(`/api/moves/${move.id}`).expect(404)
      await as(app, serco).get(`/api/moves/${move.id}/lodgings/${lodging.id}`).expect(404)
    })
  })

  ;(onPostgres ? describe : describe.skip)('concurrent planning (PostgreSQL)', () => {
    it('when four stays on the same night are planned at once, then one is planned and three are 422 taken', async () => {
      const move = await aMove(world)
      const brmcc = locationRef(await location(world, 'brmcc'))
      for (let round = 0; round < 3; round++) {
        const start = addDays(move.date, round * 2)
        const results = await Promise.all(
          Array.from({ length: 4 }, (_, i) =>
            postLodging(
              frontend,
              move.id,
              { start_date: start, end_date: addDays(start, 1 + (i % 2)) },
              { location: brmcc },
            ),
          ),
        )
        expect(results.map(r => r.status).sort()).to.deep.equal([201, 422, 422, 422])
        const created = results.find(r => r.status === 201)!.body.data.id
        for (const r of results.filter(r => r.status === 422))
          expect(r.body.errors[0].meta.existing_id).to.equal(created)
      }
      const live = await services.db('lodgings').where({ move_id: move.id }).whereNot('status', 'cancelled')
      expect(live).to.have.length(3)
    })
  })
})

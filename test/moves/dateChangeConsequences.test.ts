import { expect } from 'chai'
import { addDays } from '../../lib/calendar'
import { moveUpdateBody } from '../support/bodies'
import {
  aJourney,
  aLodging,
  aMove,
  aMoveUnderWay,
  anAllocation,
  assignProfile,
  aProfile,
  moveEvent,
  patch,
  post,
} from '../support/builders'
import { testWorld, type World } from '../support/world'

/**
 * What a move's new date does to the records that depend on it, whichever route changes it (a move
 * PATCH, approving a proposed move, redating its allocation): its proposed journeys are cancelled
 * (issue #13, after the reference's Move#cancel_proposed_journeys); a planned stay may not begin
 * before the move's date when it is planned, so a new date after it is refused (the reference never
 * calls off a stay without the client's own cancellation reason).
 */
describe('A move’s date change and what depends on it', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const journeyDates = async (moveId: string) =>
    Object.fromEntries(
      (
        await world.services
          .db('journeys')
          .where({ move_id: moveId })
          .select('id', 'state', world.services.db.raw('date::text as date'))
      ).map(j => [j.id as string, `${j.state}@${j.date}`]),
    )
  const patchDate = (moveId: string, date: string) =>
    patch(world, world.frontend, `/api/moves/${moveId}`).send(moveUpdateBody(moveId, { date }))
  const redate = (id: string, date: string) =>
    patch(world, world.frontend, `/api/allocations/${id}`).send({
      data: { type: 'allocations', id, attributes: { date } },
    })

  it('when a move PATCH changes the date, then its proposed journeys are cancelled, and one under way stays', async () => {
    const move = await aMove(world)
    const sameDay = await aJourney(world, move.id)
    const otherDay = await aJourney(world, move.id, { attributes: { date: addDays(move.date, 1) } })
    const started = await aJourney(world, move.id)
    await post(world, world.frontend, `/api/moves/${move.id}/journeys/${started.id}/start`)
      .send({ data: { type: 'starts', attributes: { timestamp: '2031-01-01T12:00:00Z' } } })
      .expect(204)
    const date = addDays(move.date, 5)
    await patchDate(move.id, date).expect(200)
    expect(await journeyDates(move.id)).to.deep.equal({
      [sameDay.id]: `cancelled@${move.date}`,
      [otherDay.id]: `cancelled@${addDays(move.date, 1)}`,
      [started.id]: `in_progress@${move.date}`,
    })
    const events = await world.services.db('move_events').where({ move_id: move.id, event_type: 'JourneyCancel' })
    expect(events.map(e => e.details)).to.have.deep.members(
      [sameDay.id, otherDay.id].map(id => ({
        journey_id: id,
        from_status: 'proposed',
        to_status: 'cancelled',
        old_date: move.date,
        date,
      })),
    )
  })

  it('when an allocation is redated, then each move’s proposed journeys are cancelled', async () => {
    const allocation = await anAllocation(world)
    const [moveId] = allocation.moveIds as [string]
    const journey = await aJourney(world, moveId)
    const date = addDays(allocation.date, 3)
    await redate(allocation.id, date).expect(200)
    expect(await journeyDates(moveId)).to.deep.equal({ [journey.id]: `cancelled@${allocation.date}` })
  })

  it('when a proposed move is approved for another day, then its proposed journeys are cancelled', async () => {
    const move = await aMove(world, { status: 'proposed' })
    const journey = await aJourney(world, move.id, { attributes: { date: move.date } })
    const date = addDays(move.date, 2)
    await moveEvent(world, world.frontend, move.id, 'approve', { date }).expect(204)
    expect(await journeyDates(move.id)).to.deep.equal({ [journey.id]: `cancelled@${move.date}` })
  })

  it('when the new date is after a planned stay begins, then a move PATCH is 422 at date and nothing changes', async () => {
    const move = await aMove(world)
    const lodging = await aLodging(world, move)
    const journey = await aJourney(world, move.id)
    const before = await world.services.db('move_events').where({ move_id: move.id }).count('* as n').first()
    const res = await patchDate(move.id, addDays(move.date, 1)).expect(422)
    expect(res.body.errors[0]).to.deep.include({
      source: { pointer: '/data/attributes/date' },
      meta: { lodging_id: lodging.id },
    })
    const row = await world.services
      .db('moves')
      .where({ id: move.id })
      .first(world.services.db.raw('date::text as date'))
    expect(row.date).to.equal(move.date)
    expect(await journeyDates(move.id)).to.deep.equal({ [journey.id]: `proposed@${move.date}` })
    const after = await world.services.db('move_events').where({ move_id: move.id }).count('* as n').first()
    expect(Number(after?.n)).to.equal(Number(before?.n))
  })

  it('when the new date is on or before every planned stay, then the change is taken and the stays kept', async () => {
    const move = await aMove(world)
    const lodging = await aLodging(world, move, { start: addDays(move.date, 2) })
    await patchDate(move.id, addDays(move.date, 2)).expect(200)
    await patchDate(move.id, addDays(move.date, -1)).expect(200)
    const row = await world.services.db('lodgings').where({ id: lodging.id }).first('status')
    expect(row.status).to.equal('proposed')
  })

  it('when an allocation’s new date is after a planned stay of one of its moves, then it is 422 and no move is redated', async () => {
    const allocation = await anAllocation(world)
    const [first, second] = allocation.moveIds as [string, string]
    await assignProfile(world, world.frontend, first, await aProfile(world)).expect(200)
    const lodging = await aLodging(world, { id: first, date: allocation.date })
    const res = await redate(allocation.id, addDays(allocation.date, 1)).expect(422)
    expect(res.body.errors[0].meta).to.deep.equal({ lodging_id: lodging.id })
    const dates = (
      await world.services
        .db('moves')
        .whereIn('id', [first, second])
        .select(world.services.db.raw('date::text as date'))
    ).map(m => m.date as string)
    expect(dates).to.deep.equal([allocation.date, allocation.date])
    const row = await world.services
      .db('allocations')
      .where({ id: allocation.id })
      .first(world.services.db.raw('date::text as date'))
    expect(row.date).to.equal(allocation.date)
  })

  it('when the move is under way, then its date cannot change: 409 with its status', async () => {
    const move = await aMoveUnderWay(world)
    const res = await patchDate(move.id, addDays(move.date, 1)).expect(409)
    expect(res.body.errors[0]).to.deep.include({
      code: 'invalid_transition',
      meta: { status: 'in_transit', event: 'redate' },
    })
  })

  it('when a move completes, then its stays never begun are called off with a LodgingCancel each', async () => {
    const move = await aMoveUnderWay(world)
    const lodging = await aLodging(world, move, { start: addDays(move.date, 4) })
    await moveEvent(world, world.frontend, move.id, 'complete').expect(204)
    const row = await world.services.db('lodgings').where({ id: lodging.id }).first('status', 'cancellation_reason')
    expect(row).to.deep.equal({ status: 'cancelled', cancellation_reason: 'other' })
    const event = await world.services
      .db('move_events')
      .where({ move_id: move.id, event_type: 'LodgingCancel' })
      .first()
    expect(event.details).to.include({ lodging_id: lodging.id, cancellation_reason_comment: 'The move was completed' })
  })
})

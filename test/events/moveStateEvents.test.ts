import { expect } from 'chai'
import { aMove, location, moveEvent } from '../support/builders'
import { moveRef, postEvent } from '../support/events'
import { testWorld, type World } from '../support/world'

/** The move types that change state through POST /api/events, each through the move machine (issue #14). */
describe('Events: move events change the move through its machine', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const moveRow = (id: string) =>
    world.services
      .db('moves')
      .where({ id })
      .first(
        'status',
        world.services.db.raw('date::text as date'),
        'to_location_id',
        'is_lockout',
        'cancellation_reason',
      )
  const stored = (moveId: string, eventType: string) =>
    world.services.db('move_events').where({ move_id: moveId, event_type: eventType }).first()

  it('when a supplier posts MoveAccept, MoveStart and MoveComplete, then the move goes booked, in_transit, completed and each event records the change', async () => {
    const { geoamey } = world
    const move = await aMove(world)
    for (const [type, status] of [
      ['MoveAccept', 'booked'],
      ['MoveStart', 'in_transit'],
      ['MoveComplete', 'completed'],
    ] as const) {
      const res = await postEvent(world, geoamey, type, moveRef(move.id)).expect(201)
      expect(res.body.data.attributes).to.include({ event_type: type, classification: 'default' })
      expect((await moveRow(move.id)).status).to.equal(status)
    }
    const complete = await stored(move.id, 'MoveComplete')
    expect(complete).to.include({ from_status: 'in_transit', to_status: 'completed', eventable_type: 'moves' })
  })

  it('when MoveComplete is posted to a move only requested, then it is 409 invalid_transition and nothing is stored', async () => {
    const move = await aMove(world)
    const res = await postEvent(world, world.geoamey, 'MoveComplete', moveRef(move.id)).expect(409)
    expect(res.body.errors[0]).to.include({ code: 'invalid_transition' })
    expect(res.body.errors[0].meta).to.include({ status: 'requested' })
    expect(await stored(move.id, 'MoveComplete')).to.equal(undefined)
    expect((await moveRow(move.id)).status).to.equal('requested')
  })

  it('when MoveCancel is posted, then the move is cancelled with the reason given', async () => {
    const move = await aMove(world)
    await postEvent(world, world.frontend, 'MoveCancel', moveRef(move.id), {
      details: { cancellation_reason: 'made_in_error', cancellation_reason_comment: 'typo' },
    }).expect(201)
    expect(await moveRow(move.id)).to.include({ status: 'cancelled', cancellation_reason: 'made_in_error' })
    await postEvent(world, world.frontend, 'MoveCancel', moveRef(move.id), {
      details: { cancellation_reason: 'made_in_error' },
    }).expect(409)
  })

  it('when MoveReject is posted, then the move is cancelled as rejected', async () => {
    const move = await aMove(world)
    await postEvent(world, world.geoamey, 'MoveReject', moveRef(move.id), {
      details: { rejection_reason: 'no_transport_available' },
    }).expect(201)
    expect(await moveRow(move.id)).to.include({ status: 'cancelled', cancellation_reason: 'rejected' })
  })

  it('when MoveApprove is posted to a proposed move, then it is requested on the date given', async () => {
    const move = await aMove(world, { status: 'proposed' })
    await postEvent(world, world.frontend, 'MoveApprove', moveRef(move.id), { details: { date: move.date } }).expect(
      201,
    )
    expect(await moveRow(move.id)).to.include({ status: 'requested', date: move.date })
    await postEvent(world, world.frontend, 'MoveApprove', moveRef(move.id), { details: { date: move.date } }).expect(
      409,
    )
  })

  it('when MoveRedirect is posted, then the move goes to the new destination, kept as the to_location relationship', async () => {
    const move = await aMove(world)
    const leeds = await location(world, 'lei')
    const res = await postEvent(world, world.geoamey, 'MoveRedirect', moveRef(move.id), {
      details: { reason: 'no_space' },
      relationships: { to_location: leeds },
    }).expect(201)
    expect(res.body.data.relationships.to_location.data).to.deep.equal({ type: 'locations', id: leeds })
    expect((await moveRow(move.id)).to_location_id).to.equal(leeds)
  })

  it('when MoveLockout is posted to a booked move, then it is marked locked out; to a requested one it is 409', async () => {
    const move = await aMove(world)
    const court = await location(world, 'brmcc')
    await postEvent(world, world.geoamey, 'MoveLockout', moveRef(move.id), {
      relationships: { from_location: court },
    }).expect(409)
    await moveEvent(world, world.geoamey, move.id, 'accept').expect(204)
    await postEvent(world, world.geoamey, 'MoveLockout', moveRef(move.id), {
      details: { reason: 'no_space' },
      relationships: { from_location: court },
    }).expect(201)
    expect((await moveRow(move.id)).is_lockout).to.equal(true)
    expect((await stored(move.id, 'MoveLockout')).from_location_id).to.equal(court)
  })
})

import { expect } from 'chai'
import type { Express } from 'express'
import type { Response } from 'supertest'
import type { Services } from '../../lib/services'
import { nextMoveStatus } from '../../machines/move'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, aProfile, assignProfile, anAllocation } from '../support/builders'
import { allocationBody } from '../support/bodies'
import { onPostgres } from '../support/db'

const EVENT_TYPES: Record<string, { type: string; event: string }> = {
  accept: { type: 'accepts', event: 'MoveAccept' },
  start: { type: 'starts', event: 'MoveStart' },
  complete: { type: 'completes', event: 'MoveComplete' },
  cancel: { type: 'cancels', event: 'MoveCancel' },
}

type Timeline = { event_type: string; from_status: string | null; to_status: string }[]
;(onPostgres ? describe : describe.skip)('Book a Secure Move: races (PostgreSQL)', function () {
  this.timeout(60_000)
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let serco: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend, serco } = world)
  })

  const send = (moveId: string, event: string) =>
    as(app, frontend)
      .post(`/api/moves/${moveId}/${event}`)
      .set('Idempotency-Key', key())
      .send({
        data: {
          type: EVENT_TYPES[event]!.type,
          attributes: {
            timestamp: '2031-01-01T10:00:00Z',
            cancellation_reason: 'other',
            cancellation_reason_comment: 'Requested in error',
          },
        },
      })

  const timeline = async (moveId: string): Promise<Timeline> =>
    services.db('move_events').where({ move_id: moveId }).orderBy('id').select('event_type', 'from_status', 'to_status')

  /** A move of its own allocation, with a profile, driven to `status` one request at a time. */
  async function moveIn(
    status: 'requested' | 'booked' | 'in_transit',
  ): Promise<{ moveId: string; allocationId: string }> {
    const allocation = await anAllocation(world, { attributes: { moves_count: 1 } })
    const moveId = allocation.moveIds[0]!
    await assignProfile(world, frontend, moveId, await aProfile(world)).expect(200)
    const path = { requested: [], booked: ['accept'], in_transit: ['accept', 'start'] }[status]
    for (const event of path) await send(moveId, event).expect(204)
    return { moveId, allocationId: allocation.id }
  }

  /**
   * What every race must leave: no 500 or 503; each 204 is exactly one event row; each 409 is
   * invalid_transition naming a real status; the events form one chain (each starts where the last
   * ended, so no two requests both consumed the same status) that ends at the move's status.
   */
  async function expectConsistent(moveId: string, sent: string[], responses: Response[], before: number) {
    const statuses = responses.map(r => r.status)
    expect(
      statuses.every(s => s === 204 || s === 409),
      `statuses ${statuses}`,
    ).to.equal(true)
    for (const r of responses.filter(r => r.status === 409)) {
      expect(r.body.errors[0].code).to.equal('invalid_transition')
      expect(r.body.errors[0].meta.status).to.be.oneOf(['requested', 'booked', 'in_transit', 'completed', 'cancelled'])
    }
    const events = await timeline(moveId)
    for (let i = 1; i < events.length; i++) expect(events[i]!.from_status).to.equal(events[i - 1]!.to_status)
    const added = events.slice(before)
    const winners = sent.filter((_, i) => responses[i]!.status === 204).map(e => EVENT_TYPES[e]!.event)
    expect(added.map(e => e.event_type)).to.have.members(winners)
    const move = await services.db('moves').where({ id: moveId }).first('status')
    expect(move.status).to.equal(events.at(-1)!.to_status)
    return { winners, move: move.status as string }
  }

  for (const [from, events] of [
    ['requested', ['accept', 'cancel']],
    ['booked', ['start', 'cancel']],
    ['in_transit', ['complete', 'cancel']],
  ] as const) {
    it(`when ${events[0]} and ${events[1]} of one ${from} move arrive at once, then one takes the ${from} status and the chain stays whole`, async () => {
      for (let round = 0; round < 5; round++) {
        const { moveId } = await moveIn(from)
        const before = (await timeline(moveId)).length
        const responses = await Promise.all(events.map(e => send(moveId, e)))
        const { winners, move } = await expectConsistent(moveId, [...events], responses, before)
        const added = (await timeline(moveId)).slice(before)
        // Only one request can leave the starting status; cancel may follow the other, never precede it.
        expect(added.filter(e => e.from_status === from)).to.have.length(1)
        if (winners.length === 2) {
          expect(added.map(e => e.event_type)).to.deep.equal([EVENT_TYPES[events[0]]!.event, 'MoveCancel'])
        }
        expect(move).to.equal(winners.includes('MoveCancel') ? 'cancelled' : nextMoveStatus(from, events[0]))
      }
    })
  }

  it('when 12 mixed transitions of one move arrive at once, then one unbroken chain is left and no 500', async () => {
    for (let round = 0; round < 3; round++) {
      const { moveId } = await moveIn('requested')
      const before = (await timeline(moveId)).length
      const sent = ['accept', 'start', 'complete', 'cancel'].flatMap(e => [e, e, e])
      const responses = await Promise.all(sent.map(e => send(moveId, e)))
      const { winners } = await expectConsistent(moveId, sent, responses, before)
      for (const event of ['MoveAccept', 'MoveStart', 'MoveComplete', 'MoveCancel']) {
        expect(winners.filter(w => w === event).length).to.be.at.most(1)
      }
    }
  })

  it('when a move transition, a profile change and the allocation’s cancel arrive at once, then there is no deadlock and the allocation agrees with its moves', async () => {
    for (let round = 0; round < 5; round++) {
      const allocation = await anAllocation(world, { attributes: { moves_count: 2 } })
      const [first, second] = allocation.moveIds as [string, string]
      const profile = await aProfile(world)
      await assignProfile(world, frontend, first, profile).expect(200)
      const responses = await Promise.all([
        send(first, 'accept'),
        assignProfile(world, frontend, second, await aProfile(world)),
        as(app, frontend)
          .post(`/api/allocations/${allocation.id}/cancel`)
          .set('Idempotency-Key', key())
          .send({
            data: {
              type: 'cancels',
              attributes: {
                timestamp: '2031-01-01T10:00:00Z',
                cancellation_reason: 'other',
                cancellation_reason_comment: 'Requested in error',
              },
            },
          }),
      ])
      const statuses = responses.map(r => r.status)
      expect(statuses, JSON.stringify(responses.map(r => r.body))).to.satisfy((s: number[]) =>
        s.every(code => code < 500),
      )
      expect(statuses[2]).to.equal(204)
      const row = await services.db('allocations').where({ id: allocation.id }).first('status', 'moves_count')
      expect(row).to.deep.equal({ status: 'cancelled', moves_count: 0 })
      const moves = await services.db('moves').whereIn('id', allocation.moveIds).pluck('status')
      expect(moves).to.deep.equal(['cancelled', 'cancelled'])
      for (const id of allocation.moveIds) {
        const events = await timeline(id)
        expect(events.at(-1)).to.include({ event_type: 'MoveCancel', to_status: 'cancelled' })
      }
    }
  })

  it('when 20 identical allocation requests with one key arrive at once, then one allocation and its moves are made once', async () => {
    const idempotencyKey = key()
    const body = allocationBody({ moves_count: 3 })
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        as(app, serco).post('/api/allocations').set('Idempotency-Key', idempotencyKey).send(body),
      ),
    )
    const statuses = responses.map(r => r.status)
    expect(
      statuses.every(s => s === 201 || s === 409),
      `statuses ${statuses}`,
    ).to.equal(true)
    const created = responses.filter(r => r.status === 201)
    expect(new Set(created.map(r => r.body.data.id)).size).to.equal(1)
    const allocations = await services.db('allocations').where({ date: body.data.attributes.date })
    expect(allocations).to.have.length(1)
    expect(await services.db('moves').where({ allocation_id: allocations[0].id })).to.have.length(3)
  })
})

import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, uniqueDate, aProfile, moveEvent, assignProfile, anAllocation } from '../support/builders'

describe('Book a Secure Move: changing and cancelling allocations', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
  })

  const patch = (id: string, attributes: object) =>
    as(app, frontend)
      .patch(`/api/allocations/${id}`)
      .set('Idempotency-Key', key())
      .send({ data: { type: 'allocations', id, attributes } })

  it('when an allocation is redated, then it and every move not under way take the date, each with a MoveDateChanged event', async () => {
    const allocation = await anAllocation(world, { attributes: { moves_count: 3 } })
    const [first, second, third] = allocation.moveIds as [string, string, string]
    await assignProfile(world, frontend, second, await aProfile(world)).expect(200)
    for (const event of ['accept', 'start']) await moveEvent(world, frontend, second, event).expect(204)
    await moveEvent(world, frontend, third, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)
    const date = uniqueDate()
    const res = await patch(allocation.id, { date, date_changed_reason: 'court moved the hearing' }).expect(200)
    expect(res.body.data.attributes.date).to.equal(date)
    const dates = await services
      .db('moves')
      .whereIn('id', allocation.moveIds)
      .select('id', services.db.raw('date::text as date'))
    const byId = Object.fromEntries(dates.map(d => [d.id, d.date]))
    expect(byId[first]).to.equal(date)
    expect(byId[second]).to.equal(allocation.date)
    expect(byId[third]).to.equal(allocation.date)
    const event = await services.db('move_events').where({ move_id: first, event_type: 'MoveDateChanged' }).first()
    expect(event.details).to.deep.equal({
      previous_date: allocation.date,
      date,
      date_changed_reason: 'court moved the hearing',
    })
    expect(await services.db('move_events').where({ move_id: second, event_type: 'MoveDateChanged' }).first()).to.equal(
      undefined,
    )
  })

  it('when the date is invalid, the allocation unknown or cancelled, then a redate is 422, 404 or 409', async () => {
    const allocation = await anAllocation(world)
    await patch(allocation.id, { date: 'tomorrow' }).expect(422)
    await patch(crypto.randomUUID(), { date: uniqueDate() }).expect(404)
    await as(app, frontend)
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
      })
      .expect(204)
    const live = await services
      .db('moves')
      .whereIn('id', allocation.moveIds)
      .whereNot('status', 'cancelled')
      .count('* as n')
      .first()
    expect(Number(live!.n)).to.equal(0)
    const res = await patch(allocation.id, { date: uniqueDate() }).expect(409)
    expect(res.body.errors[0].meta).to.deep.equal({ status: 'cancelled', event: 'update' })
  })
})

import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, location, aMove } from '../support/builders'
import { locationRef } from '../support/bodies'

describe('compatibility: journeys carry a date and a number, and a date sent is never dropped', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let bsi: string
  let iwi: string
  let lei: string

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
    bsi = await location(world, 'bsi')
    iwi = await location(world, 'iwi')
    lei = await location(world, 'lei')
  })

  const createJourney = (moveId: string, attributes: object, from = bsi, to = iwi) =>
    as(app, frontend)
      .post(`/api/moves/${moveId}/journeys`)
      .set('Idempotency-Key', key())
      .send({
        data: {
          type: 'journeys',
          attributes: { timestamp: '2031-01-01T09:00:00Z', ...attributes },
          relationships: { from_location: locationRef(from), to_location: locationRef(to) },
        },
      })
  const updateJourney = (moveId: string, id: string, attributes: object) =>
    as(app, frontend)
      .patch(`/api/moves/${moveId}/journeys/${id}`)
      .set('Idempotency-Key', key())
      .send({ data: { type: 'journeys', id, attributes } })

  it("when a journey is created with a date, then it keeps that date; without one, it takes the move's", async () => {
    const move = await aMove(world)
    const dated = await createJourney(move.id, { date: '2031-03-04' }, bsi, lei).expect(201)
    expect(dated.body.data.attributes).to.include({ date: '2031-03-04', number: 1 })
    const undated = await createJourney(move.id, {}, lei, iwi).expect(201)
    expect(undated.body.data.attributes).to.include({ date: move.date, number: 2 })
    const listed = await as(app, frontend).get(`/api/moves/${move.id}/journeys`).expect(200)
    expect(
      listed.body.data.map((j: { attributes: { date: string; number: number } }) => [
        j.attributes.number,
        j.attributes.date,
      ]),
    ).to.have.deep.members([
      [1, '2031-03-04'],
      [2, move.date],
    ])
  })

  it("when the move has no date (proposed), then the journey's date is its timestamp's London date", async () => {
    const move = await aMove(world, { status: 'proposed' })
    const res = await createJourney(move.id, { timestamp: '2031-06-30T23:30:00Z' }).expect(201)
    expect(res.body.data.attributes).to.include({ date: '2031-07-01', number: 1 })
  })

  it('when a journey is updated with a date, then the date changes and the number stays', async () => {
    const move = await aMove(world)
    const { id } = (await createJourney(move.id, {}).expect(201)).body.data
    const res = await updateJourney(move.id, id, { date: '2031-05-06', number: 7 }).expect(200)
    expect(res.body.data.attributes).to.include({ date: '2031-05-06', number: 1 })
  })

  it('when a journey date is not a calendar date, then it is 422 at the date and nothing changes', async () => {
    const move = await aMove(world)
    for (const date of ['2031-02-30', '04/03/2031', null, 20310304]) {
      const res = await createJourney(move.id, { date }).expect(422)
      expect(res.body.errors[0].source, JSON.stringify(date)).to.deep.equal({ pointer: '/data/attributes/date' })
    }
    expect(await services.db('journeys').where({ move_id: move.id }).count('* as n').first()).to.satisfy(
      (row: { n: unknown }) => Number(row.n) === 0,
    )
    const { id } = (await createJourney(move.id, { date: '2031-03-04' }).expect(201)).body.data
    await updateJourney(move.id, id, { date: '2031-13-01' }).expect(422)
    const shown = await as(app, frontend).get(`/api/moves/${move.id}/journeys/${id}`).expect(200)
    expect(shown.body.data.attributes.date).to.equal('2031-03-04')
  })

  it('when two journeys of one move are created at once, then they get different numbers', async () => {
    const move = await aMove(world)
    const made = await Promise.all([createJourney(move.id, {}, bsi, lei), createJourney(move.id, {}, lei, iwi)])
    expect(made.map(r => r.status)).to.deep.equal([201, 201])
    expect(made.map(r => r.body.data.attributes.number).sort()).to.deep.equal([1, 2])
  })
})

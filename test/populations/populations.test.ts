import { expect } from 'chai'
import { as } from '../support/app'
import { populationBody } from '../support/bodies'
import { aMove, location, moveEvent, patch, post, uniqueDate } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe("Populations: a prison's day and its free spaces", () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it("when a day is recorded, then its free spaces follow the reference's arithmetic, the day's prison transfers in and out counted", async () => {
    const date = uniqueDate()
    const iwi = await location(world, 'iwi')
    // Two transfers into the Isle of Wight that day, and one out of it; a cancelled one counts for nothing.
    const inbound = [await aMove(world, { date }), await aMove(world, { date })]
    const outbound = await aMove(world, { date, from: 'iwi', to: 'bsi' })
    const cancelled = await aMove(world, { date })
    await moveEvent(world, world.frontend, cancelled.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)

    const res = await post(world, world.frontend, '/api/populations')
      .query({ include: 'location' })
      .send(
        populationBody(iwi, date, {
          unlock: 400,
          bedwatch: 3,
          overnights_in: 5,
          overnights_out: 2,
          out_of_area_courts: 4,
          discharges: 6,
          updated_by: 'PMU officer',
        }),
      )
      .expect(201)
    const { attributes, relationships } = res.body.data
    // 480 - 400 - 3 - 5 - 2 (in) + 2 + 4 + 6 + 1 (out)
    expect(attributes.free_spaces).to.equal(83)
    expect(attributes).to.include({ date, usable_capacity: 480, updated_by: 'PMU officer' })
    expect(relationships.moves_to.data.map((m: { id: string }) => m.id)).to.have.members(inbound.map(m => m.id))
    expect(relationships.moves_from.data).to.deep.equal([{ type: 'moves', id: outbound.id }])
    expect(res.body.included[0]).to.include({ type: 'locations', id: iwi })

    const shown = await as(world.app, world.frontend).get(`/api/populations/${res.body.data.id}`).expect(200)
    expect(shown.body.data.attributes.free_spaces).to.equal(83)
  })

  it('when a day is changed, then its counts and free spaces change and its date stays', async () => {
    const date = uniqueDate()
    const created = await post(world, world.frontend, '/api/populations')
      .send(populationBody(await location(world, 'iwi'), date, { unlock: 470 }))
      .expect(201)
    const id = created.body.data.id as string
    expect(created.body.data.attributes.free_spaces).to.equal(10)
    const res = await patch(world, world.frontend, `/api/populations/${id}`)
      .send({ data: { type: 'populations', id, attributes: { unlock: 460, date: '2030-01-01' } } })
      .expect(200)
    expect(res.body.data.attributes).to.include({ unlock: 460, free_spaces: 20, date })
  })

  it('when a second record is made for the same prison and day, then it is 422 taken at the date with the existing id', async () => {
    const date = uniqueDate()
    const iwi = await location(world, 'iwi')
    const first = await post(world, world.frontend, '/api/populations').send(populationBody(iwi, date)).expect(201)
    const res = await post(world, world.frontend, '/api/populations').send(populationBody(iwi, date)).expect(422)
    expect(res.body.errors[0]).to.deep.include({ code: 'taken', source: { pointer: '/data/attributes/date' } })
    expect(res.body.errors[0].meta).to.deep.equal({ existing_id: first.body.data.id })
  })

  it('when a capacity is 0 or a count negative, then it is 422 at each; an unknown location 404; an unknown population 404', async () => {
    const date = uniqueDate()
    const iwi = await location(world, 'iwi')
    const res = await post(world, world.frontend, '/api/populations')
      .send(populationBody(iwi, date, { usable_capacity: 0, bedwatch: -1 }))
      .expect(422)
    expect(res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.have.members([
      '/data/attributes/usable_capacity',
      '/data/attributes/bedwatch',
    ])
    await post(world, world.frontend, '/api/populations')
      .send(populationBody('00000000-0000-4000-8000-000000000000', date))
      .expect(404)
    await as(world.app, world.frontend).get('/api/populations/00000000-0000-4000-8000-000000000000').expect(404)
  })

  it("when a supplier asks for populations, then it is 403: they are the PMU's", async () => {
    await as(world.app, world.serco).get('/api/populations/00000000-0000-4000-8000-000000000000').expect(403)
    await as(world.app, world.serco)
      .get('/api/locations_free_spaces')
      .query({ date_from: '2030-01-01', date_to: '2030-01-01' })
      .expect(403)
  })
})

import { expect } from 'chai'
import { as } from '../support/app'
import { testWorld, type World } from '../support/world'

/** The location list's type filter is the contract's list of location types (issue #21's kind, on #12's edge). */
describe('Locations asked for an unknown location type', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const list = (types: string) =>
    as(world.app, world.frontend).get('/api/reference/locations').query({ 'filter[location_type]': types })

  it('when filter[location_type] names a type that does not exist, then it is 400 invalid_query_parameter naming the filter', async () => {
    const res = await list('prison,castle').expect(400)
    expect(res.body.errors).to.have.length(1)
    expect(res.body.errors[0]).to.include({ code: 'invalid_query_parameter' })
    expect(res.body.errors[0].source).to.deep.equal({ parameter: 'filter[location_type]' })
  })

  it('when it names known types, then only locations of those types are listed', async () => {
    const res = await list('court,police').expect(200)
    expect(res.body.data).to.not.have.length(0)
    expect(
      new Set(res.body.data.map((l: { attributes: { location_type: string } }) => l.attributes.location_type)),
    ).to.satisfy((types: Set<string>) => [...types].every(t => t === 'court' || t === 'police'))
  })
})

import { expect } from 'chai'
import { as } from '../support/app'
import { testWorld, type World } from '../support/world'

describe('Free spaces asked for an unknown location type (issue #21)', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when filter[location_type] names a type that does not exist, then it is 400 invalid_query_parameter naming the filter', async () => {
    const res = await as(world.app, world.frontend)
      .get('/api/locations_free_spaces')
      .query({ date_from: '2031-01-01', date_to: '2031-01-02', 'filter[location_type]': 'prison,castle' })
      .expect(400)
    expect(res.body.errors).to.have.length(1)
    expect(res.body.errors[0]).to.include({ code: 'invalid_query_parameter' })
    expect(res.body.errors[0].source).to.deep.equal({ parameter: 'filter[location_type]' })
  })
})

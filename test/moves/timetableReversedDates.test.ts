import { expect } from 'chai'
import { as } from '../support/app'
import { aPrisoner } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe("A person's timetable asked for backwards (issue #21)", () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when date_to is before date_from, then it is 400 at filter[date_to], not an empty timetable', async () => {
    const { personId } = await aPrisoner(world)
    const res = await as(world.app, world.frontend)
      .get(`/api/people/${personId}/timetable?filter[date_from]=2031-01-31&filter[date_to]=2031-01-01`)
      .expect(400)
    expect(res.body.errors).to.deep.equal([
      {
        status: '400',
        code: 'invalid_query_parameter',
        title: 'Invalid query parameter',
        detail: 'date_to must not be before date_from',
        source: { parameter: 'filter[date_to]' },
      },
    ])
  })
})

import { expect } from 'chai'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'

describe('Subject access requests with a backwards date range (issue #21)', () => {
  let world: World
  let sar: TestClient

  before(async () => {
    world = await testWorld()
    sar = await world.clientWith({ roles: ['subject-access'] })
  })

  it('when to_date is before from_date, then it is 400 at to_date in the HMPPS shape, not a search of nothing', async () => {
    const res = await as(world.app, sar)
      .get('/subject-access-request')
      .query({ prn: 'G8133UA', from_date: '2026-12-01', to_date: '2026-01-01' })
      .expect(400)
    expect(res.body).to.deep.equal({
      status: 400,
      errorCode: 'invalid_query_parameter',
      userMessage: 'to_date must not be before from_date',
      developerMessage: JSON.stringify({ parameter: 'to_date' }),
      moreInfo: null,
    })
  })
})

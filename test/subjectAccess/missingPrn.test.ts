import { expect } from 'chai'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'

describe('Subject access requests without a prison number (issue #21)', () => {
  let world: World
  let sar: TestClient

  before(async () => {
    world = await testWorld()
    sar = await world.clientWith({ roles: ['subject-access'] })
  })

  it('when neither prn nor crn is given, then it is 400 at prn, its message naming the parameter once', async () => {
    const res = await as(world.app, sar).get('/subject-access-request').expect(400)
    expect(res.body).to.include({
      status: 400,
      errorCode: 'bad_request',
      userMessage: 'A prison number (prn) is required',
    })
  })
})

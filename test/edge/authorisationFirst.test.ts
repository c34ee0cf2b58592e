import { expect } from 'chai'
import type { Express } from 'express'
import supertest from 'supertest'
import { loadOpenApi, operations } from '../../api/openapi'
import { type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'

const withRoles = operations(loadOpenApi()).filter(o => o.operation['x-roles']?.length)

/** What a client may send that would otherwise fail validation: a bad value in every place. */
const garbagePath = (path: string) => path.replace(/\{[^}]+\}/g, 'not%20a%20valid%20id')

describe('Authorisation before validation: without the role, 403 whatever is sent', () => {
  let world: World
  let app: Express
  let plain: TestClient

  before(async () => {
    world = await testWorld()
    ;({ app } = world)
    // A supplier's client holds no role: the frontend's now holds `frontend`, which some operations list.
    plain = world.serco
  })

  it('when an operation is on /nomisapi, /visits or /queue-admin, then openapi.yaml declares the roles it needs', () => {
    const undeclared = operations(loadOpenApi())
      .filter(o => /^\/(nomisapi|visits|queue-admin)\//.test(o.path) && !o.operation['x-roles']?.length)
      .map(o => o.operation.operationId)
    expect(undeclared).to.deep.equal([])
  })

  it('when a client without the role calls PUT /visits/admin/prisons/{code} with a bad body, then 403, not 400', async () => {
    const res = await supertest(app)
      .put('/visits/admin/prisons/BMI')
      .set('Authorization', `Bearer ${plain.token}`)
      .send({ allocationEnabled: 'perhaps' })
      .expect(403)
    expect(res.body).to.include({ status: 403, errorCode: 'forbidden' })
  })

  for (const { path, method, operation } of withRoles) {
    it(`when a client without ${operation['x-roles']!.join(' or ')} calls ${operation.operationId} with bad parameters and a bad body, then 403 in its family's shape`, async () => {
      let test = supertest(app)
        [method as 'get' | 'post' | 'put' | 'patch' | 'delete'](`${garbagePath(path)}?unknown=%00&page=-1`)
        .set('Authorization', `Bearer ${plain.token}`)
        .set('Accept', 'application/vnd.api+json; version=2')
      if (method !== 'get' && method !== 'delete') {
        test = test.set('Content-Type', 'application/json').send('{"data": {"type": 42, "attributes": "\\u0000"}}')
      }
      const res = await test.expect(403)
      if (path.startsWith('/api/')) expect(res.body.errors[0]).to.include({ status: '403', code: 'forbidden' })
      else if (path.startsWith('/nomisapi/')) expect(res.body.error.message).to.match(/ role$/)
      else expect(res.body).to.include({ status: 403, errorCode: 'forbidden' })
    })
  }

  it('when a client has one of the roles an operation lists, then it passes (nomis reads a visit balance)', async () => {
    const nomis = await world.clientWith({ roles: ['nomis'] })
    const res = await supertest(app)
      .get('/visits/allocation/prisoner/Z9999ZZ/balance')
      .set('Authorization', `Bearer ${nomis.token}`)
      .expect(404)
    expect(res.body).to.include({ errorCode: 'not_found' })
  })
})

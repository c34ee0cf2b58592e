import fs from 'node:fs'
import { expect } from 'chai'
import supertest from 'supertest'
import { openapiPath } from '../../api/openapi'
import { EVENT_TYPES } from '../../lib/events/catalogue'
import { detailsSchemaName, generatedOpenApi } from '../../scripts/events-contract'
import { testWorld } from '../support/world'

/** openapi.yaml's events contract is the catalogue's (scripts/events-contract.ts), and the served docs show it. */
describe('Contract: the events contract in openapi.yaml', () => {
  it('when the events block is generated from the catalogue, then it is the committed openapi.yaml', async () => {
    const committed = fs.readFileSync(openapiPath, 'utf8')
    // On a difference: npm run contract:events, then npm run contract:types.
    expect(await generatedOpenApi(committed)).to.equal(committed)
  })

  it("when the served contract is read, then it has every type's details and POST /api/events takes EventCreate", async () => {
    const { app } = await testWorld()
    const res = await supertest(app).get('/v3/api-docs').expect(200)
    const schemas = res.body.components.schemas as Record<string, { description?: string }>
    for (const spec of EVENT_TYPES) {
      expect(schemas[detailsSchemaName(spec.eventType)]?.description, spec.eventType).to.contain(spec.eventType)
    }
    const operation = res.body.paths['/api/events'].post
    expect(operation).to.include({ operationId: 'createEvent', 'x-idempotent': true })
    expect(operation.requestBody.content['application/vnd.api+json'].schema).to.deep.equal({
      $ref: '#/components/schemas/EventCreate',
    })
  })
})

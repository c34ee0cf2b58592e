import { expect } from 'chai'
import type { Express } from 'express'
import { boundIntegers, INT32, loadOpenApi } from '../../api/openapi'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { ALL_ROLES, plainJson } from './support'

/** Every integer schema in a document, with where it is. */
function integerSchemas(node: unknown, at = '#'): { at: string; schema: Record<string, unknown> }[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => integerSchemas(item, `${at}/${i}`))
  if (!node || typeof node !== 'object') return []
  const schema = node as Record<string, unknown>
  const own = schema.type === 'integer' || (Array.isArray(schema.type) && schema.type.includes('integer'))
  return [
    ...(own ? [{ at, schema }] : []),
    ...Object.entries(schema).flatMap(([name, child]) => integerSchemas(child, `${at}/${name}`)),
  ]
}

describe('Integers are bounded to int32 unless the contract bounds them', () => {
  it('when openapi.yaml is loaded, then no integer is left without an upper and a lower bound', () => {
    const unbounded = integerSchemas(loadOpenApi()).filter(
      ({ schema }) =>
        (schema.maximum === undefined && schema.exclusiveMaximum === undefined) ||
        (schema.minimum === undefined && schema.exclusiveMinimum === undefined),
    )
    expect(unbounded.map(u => u.at)).to.deep.equal([])
  })

  it('when an integer declares its own bounds, then they are kept, and a nullable integer is bounded too', () => {
    const schema = {
      properties: {
        declared: { type: 'integer', minimum: 1, maximum: 10 },
        exclusive: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 100 },
        nullable: { type: ['integer', 'null'] },
        text: { type: 'string' },
      },
    }
    boundIntegers(schema)
    expect(schema.properties).to.deep.equal({
      declared: { type: 'integer', minimum: 1, maximum: 10 },
      exclusive: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 100 },
      nullable: { type: ['integer', 'null'], ...INT32 },
      text: { type: 'string' },
    })
  })

  describe('over HTTP', () => {
    let world: World
    let app: Express
    let client: TestClient

    before(async () => {
      world = await testWorld()
      ;({ app } = world)
      client = await world.clientWith({ roles: ALL_ROLES })
    })

    it('when a NOMIS amount is just past int32, then 400 names it and no money moves', async () => {
      const base = '/nomisapi/prison/BMI/offenders/A1404AE'
      const before = (await plainJson(app, client).get(`${base}/accounts`).expect(200)).body
      const res = await plainJson(app, client)
        .post(`${base}/transactions`)
        .send({ type: 'MTDS', description: 'x', amount: INT32.maximum + 1, client_unique_ref: crypto.randomUUID() })
        .expect(400)
      expect(res.body.error.message).to.match(/^amount /)
      expect((await plainJson(app, client).get(`${base}/accounts`).expect(200)).body).to.deep.equal(before)
    })

    it('when a page number is just past int32, then 400 names the parameter', async () => {
      const res = await as(app, client)
        .get(`/api/moves?page=${INT32.maximum + 1}`)
        .expect(400)
      expect(res.body.errors[0].source).to.deep.equal({ parameter: 'page' })
    })
  })
})

import { expect } from 'chai'
import fc from 'fast-check'
import type { Express } from 'express'
import supertest from 'supertest'
import { loadOpenApi, operations } from '../../api/openapi'
import type { Services } from '../../lib/services'
import { violations } from '../support/contract'
import { type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { ALL_ROLES } from '../edge/support'
import { bodyFromSchema, encodeSegment, hostileValue, queryParameterNames, requestBodySchema } from './hostileValues'

/**
 * The row count of every table a rejected request must leave untouched. The auth tables hold our own
 * test clients; `notification_attempts` is written only by the delivery worker, in the background, when
 * an earlier suite's webhook is retried.
 */
async function snapshot(services: Services): Promise<string> {
  const { rows } = await services.db.raw(
    `select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
        and table_name not in ('api_clients', 'access_tokens', 'idempotency_keys', 'knex_migrations', 'knex_migrations_lock',
                               'notification_attempts')
      order by table_name`,
  )
  const names = (rows as { table_name: string }[]).map(r => r.table_name)
  const counts = await Promise.all(
    names.map(async name => `${name}:${(await services.db(name).count<{ c: number }[]>('* as c'))[0]!.c}`),
  )
  return counts.join(',')
}

const shortHostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "' OR 1=1 --",
    '"; DROP TABLE moves; --',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '𝕳𝖔𝖘𝖙𝖎𝖑𝖊',
    '<script>alert(1)</script>',
    '9'.repeat(400),
    'null',
    '-1',
    '1e309',
    'A1234BC',
    '00000000-0000-4000-8000-000000000000',
  ),
  hostileValue.map(String),
)

const hostileString = fc.oneof(shortHostileString, fc.string({ minLength: 3000, maxLength: 5000 }))

/**
 * Long, but short enough once percent-encoded (up to 12 bytes a character) to stay under Node's
 * 16 KB request-line limit; past it the parser answers before the app (tested on the real server).
 */
const pathString = fc.oneof(shortHostileString, fc.string({ minLength: 500, maxLength: 1000 }))

const jsonValue: fc.Arbitrary<unknown> = fc.letrec(tie => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    hostileValue,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(hostileString, fc.constantFrom('data', 'type', 'attributes', 'relationships', 'id')),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value

/** Kept as text: fast-check could not print the object as a counterexample. */
const deeplyNested = (depth: number) => Buffer.from(`${'{"data":'.repeat(depth)}"x"${'}'.repeat(depth)}`)

const body = fc.oneof(
  jsonValue.map(value => ({ kind: 'json' as const, value })),
  fc.constant({ kind: 'raw' as const, value: deeplyNested(5000) }),
  fc
    .record({ type: hostileString, attributes: fc.dictionary(hostileString, jsonValue, { maxKeys: 5 }) })
    .map(data => ({ kind: 'json' as const, value: { data } })),
  fc.constant({ kind: 'raw' as const, value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) }),
  fc.constant({ kind: 'raw' as const, value: Buffer.from('{"data": ') }),
)

const contentType = fc.constantFrom(
  'application/vnd.api+json',
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/vnd.api+json; version=2',
)

const accept = fc.constantFrom(
  undefined,
  'application/vnd.api+json; version=2',
  'application/vnd.api+json; version=99',
  'application/vnd.api+json; version=-1',
  'text/html',
  '*/*',
)

describe('Hostile input on every route of openapi.yaml', function () {
  this.timeout(300_000)
  let world: World
  let services: Services
  let app: Express
  let client: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app } = world)
    // Every role, so that requests get past authorisation to the contract and the handlers.
    client = await world.clientWith({ roles: ALL_ROLES })
  })

  const spec = loadOpenApi()
  /** Each operation with a body shaped like its schema, leaves plausible or hostile, and its declared query. */
  const routes = operations(spec).map(route => {
    const schema = requestBodySchema(route.operation)
    return fc.record({
      route: fc.constant(route),
      shapedBody: schema ? bodyFromSchema(spec, schema) : fc.constant(undefined),
      declaredQuery: fc.dictionary(
        fc.constantFrom('unknown', ...queryParameterNames(spec, route.operation)),
        hostileValue.map(String),
        { maxKeys: 2 },
      ),
    })
  })

  it('never answers 500, always answers errors in the right shape, and a rejected request changes nothing', async () => {
    const request = fc.record({
      operation: fc.oneof(...routes),
      shaped: fc.boolean(),
      pathValue: pathString,
      query: fc.dictionary(
        fc.oneof(
          fc.constantFrom('page', 'per_page', 'include', 'filter[location_type]', 'fields[locations]', 'sort'),
          shortHostileString,
        ),
        shortHostileString,
        { maxKeys: 3 },
      ),
      auth: fc.constantFrom('valid', 'none', 'garbage', 'basic'),
      accept,
      contentType,
      idempotencyKey: fc.oneof(fc.constant(undefined), fc.uuid().map(String), hostileString),
      body,
    })
    await fc.assert(
      fc.asyncProperty(request, async r => {
        const { route, shapedBody, declaredQuery } = r.operation
        const path = route.path.replace(/\{[^}]+\}/g, () => encodeSegment(r.pathValue))
        const useShaped = r.shaped && shapedBody !== undefined
        const query = new URLSearchParams(Object.entries(r.shaped ? declaredQuery : r.query)).toString()
        const url = query ? `${path}?${query}` : path
        const before = await snapshot(services)
        let test = supertest(app)[route.method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url)
        // A shaped request is meant to reach the contract and the handler, so it is always authorised.
        const auth = r.shaped ? 'valid' : r.auth
        if (auth === 'valid') test = test.set('Authorization', `Bearer ${client.token}`)
        if (auth === 'garbage') test = test.set('Authorization', `Bearer ${r.pathValue.replace(/[^\x20-\x7e]/g, '')}`)
        if (auth === 'basic') test = test.set('Authorization', 'Basic Zm9vOmJhcg==')
        if (r.accept) test = test.set('Accept', r.accept)
        if (r.idempotencyKey) test = test.set('Idempotency-Key', r.idempotencyKey.replace(/[^\x20-\x7e]/g, ''))
        if (['post', 'put', 'patch'].includes(route.method)) {
          test = useShaped
            ? test.set('Content-Type', 'application/json').send(JSON.stringify(shapedBody))
            : test
                .set('Content-Type', r.contentType)
                .send(r.body.kind === 'raw' ? r.body.value : (JSON.stringify(r.body.value) ?? 'null'))
        }
        const res = await test
        const where = `${route.method.toUpperCase()} ${url.slice(0, 200)} -> ${res.status} ${res.text.slice(0, 300)}`
        expect(res.status, where).to.be.below(500)
        if (res.status >= 400) {
          let parsed: Record<string, unknown> & {
            errors?: { status: string; code: string }[]
            error?: { message: string }
          }
          try {
            parsed = JSON.parse(res.text)
          } catch {
            throw new Error(`not a JSON error body: ${where}`)
          }
          if (path.startsWith('/api/')) {
            expect(res.headers['content-type'], where).to.equal('application/vnd.api+json')
            expect(parsed.errors, where).to.be.an('array').with.length.above(0)
            for (const error of parsed.errors!) {
              expect(error.status, where).to.equal(String(res.status))
              expect(error.code, where).to.be.a('string')
            }
            expect(parsed, where).not.to.have.property('data')
          } else if (path.startsWith('/nomisapi/')) {
            expect(parsed.error?.message, where).to.be.a('string')
          } else if (/^\/(visits\/|queue-admin\/|subject-access-request$)/.test(path)) {
            expect(parsed.status, where).to.equal(res.status)
            expect(parsed.errorCode, where).to.be.a('string')
          } else {
            expect(parsed, where).to.satisfy((p: Record<string, unknown>) => 'error' in p || 'errors' in p)
          }
          expect(await snapshot(services), where).to.equal(before)
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), endOnFailure: true },
    )
    violations.length = 0
  })
})

import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key } from '../support/builders'
import { makeSupplier, unlinkTestSuppliers } from '../notifications/receiver'
import { attr, itRefuses, rel, type RefusedCase } from './bodies'

/**
 * The subscription bodies against openapi.yaml (SubscriptionCreate, SubscriptionUpdate with
 * SubscriptionAttributes): each member refused at its pointer with nothing changed. The rules across
 * members (a callback_url needs a secret, username goes with password) need the stored row and stay
 * the service's.
 */
describe('Contract: subscription request bodies', () => {
  let world: World
  let services: Services
  let app: Express
  let admin: TestClient
  let supplierId: string
  let subscriptionId: string

  const SECRET = 'a-secret-of-sixteen-or-more'
  const createBody = () => ({
    data: {
      type: 'subscriptions',
      attributes: { callback_url: 'https://supplier.example.test/hook', secret: SECRET },
      relationships: { supplier: { data: { type: 'suppliers', id: supplierId } } },
    },
  })
  const write = (method: 'post' | 'patch', url: string, body: unknown) =>
    as(app, admin)
      [method](url)
      .set('Idempotency-Key', key())
      .send(body as object)
  const state = async () => services.db('subscriptions').where({ supplier_id: supplierId }).orderBy('id')

  before(async function () {
    this.timeout(60_000)
    world = await testWorld()
    ;({ services, app, admin } = world)
    supplierId = (await makeSupplier(services.db)).id
    subscriptionId = (await write('post', '/api/subscriptions', createBody()).expect(201)).body.data.id
  })

  after(async () => {
    await unlinkTestSuppliers(services.db)
  })

  const attributeCases: RefusedCase[] = [
    { when: 'callback_url is not a URL', path: attr('callback_url'), value: 'not a url' },
    { when: 'callback_url is an ftp URL', path: attr('callback_url'), value: 'ftp://supplier.example.test/hook' },
    { when: 'callback_url is too long', path: attr('callback_url'), value: `https://x.test/${'a'.repeat(2000)}` },
    { when: 'secret is too short', path: attr('secret'), value: 'short' },
    { when: 'username is empty', path: attr('username'), value: '' },
    { when: 'email_address is not an email address', path: attr('email_address'), value: 'pecs at example' },
    { when: 'email_address is a number', path: attr('email_address'), value: 7 },
    { when: 'enabled is a string', path: attr('enabled'), value: 'true' },
  ]

  describe('POST /api/subscriptions', () => {
    itRefuses(
      [
        ...attributeCases,
        { when: 'attributes are missing', path: attr(), value: undefined },
        { when: 'supplier is missing', path: rel('supplier'), value: undefined },
        { when: 'supplier names a location', path: rel('supplier', 'data', 'type'), value: 'locations' },
        { when: 'supplier id is not a UUID', path: rel('supplier', 'data', 'id'), value: 'serco' },
      ],
      { body: createBody, send: body => write('post', '/api/subscriptions', body), state },
    )
  })

  describe('PATCH /api/subscriptions/{id}', () => {
    itRefuses(attributeCases, {
      body: () => ({ data: { type: 'subscriptions', id: subscriptionId, attributes: { enabled: true } } }),
      send: body => write('patch', `/api/subscriptions/${subscriptionId}`, body),
      state,
    })
  })

  it('when a subscription carries undeclared attributes, then they are ignored and stored nowhere', async () => {
    const body = createBody()
    Object.assign(body.data.attributes, { supplier_id: 'SECRET', has_secret: false })
    const res = await write('post', '/api/subscriptions', body).expect(201)
    expect(res.body.data.attributes).to.include({ has_secret: true })
    const row = await services.db('subscriptions').where({ id: res.body.data.id }).first()
    expect(JSON.stringify(row)).not.to.include('SECRET')
  })

  it('when a callback_url comes without a secret, then the service refuses it at secret (a rule across members)', async () => {
    const before = await state()
    const body = createBody()
    delete (body.data.attributes as { secret?: string }).secret
    const res = await write('post', '/api/subscriptions', body).expect(422)
    expect(res.body.errors[0].source).to.deep.equal({ pointer: '/data/attributes/secret' })
    expect(await state()).to.deep.equal(before)
  })
})

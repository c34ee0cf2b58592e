import { expect } from 'chai'
import { createServices } from '../../lib/services'
import { as, testApp } from '../support/app'
import { onPostgres, secondConnection } from '../support/db'
import { testWorld, variantWorld } from '../support/world'

describe('Limits: rate, body size and time', () => {
  it('answers 429 with Retry-After once a client passes its requests per minute, without slowing other clients', async () => {
    const { app, clientWith } = await variantWorld({ env: { RATE_LIMIT_PER_MINUTE: '3' } })
    const busy = await clientWith({})
    const quiet = await clientWith({})
    for (let i = 0; i < 3; i++) await as(app, busy).get('/api/reference/genders').expect(200)
    const limited = await as(app, busy).get('/api/reference/genders').expect(429)
    expect(limited.body.errors[0]).to.include({ code: 'too_many_requests', status: '429' })
    expect(limited.headers['retry-after']).to.equal('60')
    await as(app, quiet).get('/api/reference/genders').expect(200)
  })

  it('answers 413 for a body over BODY_LIMIT', async () => {
    const { app, admin } = await variantWorld({ env: { BODY_LIMIT: '1kb' } })
    const res = await as(app, admin)
      .post('/api/reference/locations')
      .set('Idempotency-Key', crypto.randomUUID())
      .send({ data: { type: 'locations', attributes: { key: 'k', title: 'x'.repeat(2000), location_type: 'court' } } })
      .expect(413)
    expect(res.body.errors[0].code).to.equal('payload_too_large')
  })

  ;(onPostgres ? describe : describe.skip)('statement timeout (PostgreSQL)', () => {
    it('cancels a query stuck behind a lock and answers 503 with Retry-After', async () => {
      const { services: base, frontend: client } = await testWorld()
      const impatient = secondConnection({ statementTimeoutMs: 300 })
      try {
        const app = testApp(createServices({ ...base, db: impatient }))
        await base.db.transaction(async tx => {
          await tx.raw('LOCK TABLE locations IN ACCESS EXCLUSIVE MODE')
          const res = await as(app, client).get('/api/reference/locations').expect(503)
          expect(res.body.errors[0].code).to.equal('service_unavailable')
          expect(res.headers['retry-after']).to.equal('5')
        })
      } finally {
        await impatient.destroy()
      }
    })
  })
})

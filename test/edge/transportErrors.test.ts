import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from 'chai'
import type { Express } from 'express'
import { createHttpServer } from '../../api/server'
import { type TestClient } from '../support/app'
import { variantWorld, type World } from '../support/world'
import { ALL_ROLES, plainJson } from './support'

/** One write of each family, with a body of its kind. */
const FAMILIES = [
  { family: '/api', url: '/api/reference/locations' },
  { family: '/nomisapi', url: '/nomisapi/prison/BMI/offenders/A1404AE/transactions' },
  { family: '/visits', url: '/visits/allocation/prisoner/A1404AE/balance', method: 'put' as const },
  { family: '/queue-admin', url: '/queue-admin/domain-events' },
]

/** The family's error shape, with the status and code expected. */
function expectShape(
  family: string,
  res: { status: number; body: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.status).to.equal(status)
  if (family === '/api') {
    expect((res.body.errors as object[])[0]).to.include({ status: String(status), code })
  } else if (family === '/nomisapi') {
    expect(res.body).to.have.nested.property('error.message').that.is.a('string')
  } else {
    expect(res.body).to.include({ status, errorCode: code })
  }
}

describe('Transport errors in each family shape: 413, 415, 429, 431', () => {
  let world: World
  let app: Express
  let client: TestClient

  before(async () => {
    // A world of its own: a 1 kB body limit and two requests a minute, to reach those refusals.
    world = await variantWorld({ env: { BODY_LIMIT: '1kb', RATE_LIMIT_PER_MINUTE: '2' } })
    ;({ app } = world)
  })

  beforeEach(async () => {
    // The rate limit counts per client: each test starts with a fresh budget.
    client = await world.clientWith({ roles: ALL_ROLES })
  })

  for (const { family, url, method = 'post' } of FAMILIES) {
    it(`when a body is over BODY_LIMIT on ${family}, then 413 in its shape`, async () => {
      const res = await plainJson(app, client)
        [method](url)
        .set('Content-Type', 'application/json')
        .set('Idempotency-Key', crypto.randomUUID())
        .send(JSON.stringify({ padding: 'x'.repeat(4096) }))
      expectShape(family, res, 413, 'payload_too_large')
    })

    it(`when a body is not JSON on ${family}, then 415 in its shape`, async () => {
      const res = await plainJson(app, client)
        [method](url)
        .set('Content-Type', 'text/plain')
        .set('Idempotency-Key', crypto.randomUUID())
        .send('amount=1')
      expectShape(family, res, 415, 'unsupported_media_type')
    })

    it(`when a client passes its requests per minute on ${family}, then 429 with Retry-After in its shape`, async () => {
      for (let i = 0; i < 2; i++) await plainJson(app, client).get(`${family}/no-such-route`)
      const res = await plainJson(app, client).get(`${family}/no-such-route`)
      expectShape(family, res, 429, 'too_many_requests')
      expect(res.headers['retry-after']).to.equal('60')
    })
  }

  describe('on the HTTP server', () => {
    let server: http.Server
    let port: number

    before(done => {
      server = createHttpServer(app).listen(0, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port
        done()
      })
    })
    after(done => {
      server.close(() => done())
    })

    /** A request with 20 KB of headers, past Node's 16 KB limit: refused before Express sees it. */
    const oversized = (path: string) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const req = http.request({ port, host: '127.0.0.1', path, headers: { 'X-Padding': 'x'.repeat(20_000) } })
        req.on('response', res => {
          let text = ''
          res.on('data', (chunk: Buffer) => (text += chunk.toString()))
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }))
        })
        req.on('error', reject)
        req.end()
      })

    for (const { family, url } of FAMILIES) {
      it(`when the headers are too large on ${family}, then 431 in its shape`, async () => {
        expectShape(family, await oversized(url), 431, 'request_header_too_large')
      })
    }
  })
})

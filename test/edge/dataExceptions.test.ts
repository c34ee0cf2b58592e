import { Writable } from 'node:stream'
import { expect } from 'chai'
import express from 'express'
import pino from 'pino'
import supertest from 'supertest'
import { errorHandler } from '../../api/errorHandler'
import { testDb } from '../support/db'

/**
 * The backstop under the contract: whatever value slips past it and makes the database raise a data
 * exception (SQLSTATE class 22) is the request's fault, answered 400 in the family's shape and logged
 * at warn, never a 500. The statements run on the test database (PGlite, or PostgreSQL with
 * DATABASE_URL), since each reports its errors its own way.
 */
describe('Data exceptions from the database are 400s in every route family', () => {
  const logged: { level: number; msg: string }[] = []
  const app = express()

  before(async () => {
    const db = await testDb()
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString()))
        done()
      },
    })
    const statements: Record<string, string> = {
      'impossible-date': `select '2026-02-30'::date`,
      overflow: 'select 2147483648::integer',
      nul: `select convert_from('\\x00'::bytea, 'UTF8')`,
    }
    for (const family of ['/api', '/nomisapi', '/visits', '/queue-admin']) {
      app.get(`${family}/:statement`, async req => {
        await db.raw(statements[req.params.statement]!)
      })
    }
    app.use(errorHandler(pino({ level: 'warn' }, sink)))
  })

  for (const statement of ['impossible-date', 'overflow', 'nul']) {
    it(`when the database refuses a value (${statement}), then /api answers 400 invalid_value and logs a warning`, async () => {
      logged.length = 0
      const res = await supertest(app).get(`/api/${statement}`).expect(400)
      expect(res.body.errors[0]).to.include({ status: '400', code: 'invalid_value' })
      expect(logged.map(l => l.level)).to.deep.equal([40])
    })
  }

  it('when the database refuses a value, then /nomisapi answers 400 in its shape', async () => {
    const res = await supertest(app).get('/nomisapi/impossible-date').expect(400)
    expect(res.body.error.message).to.be.a('string')
  })

  it('when the database refuses a value, then /visits and /queue-admin answer 400 in the HMPPS shape', async () => {
    for (const family of ['/visits', '/queue-admin']) {
      const res = await supertest(app).get(`${family}/overflow`).expect(400)
      expect(res.body).to.include({ status: 400, errorCode: 'invalid_value' })
    }
  })
})

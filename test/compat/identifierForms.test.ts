import { expect } from 'chai'
import type { Express } from 'express'
import supertest from 'supertest'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, aPerson } from '../support/builders'

let made = 0
/** Identifiers of this run, in lower case and padded with spaces as a careless client sends them. */
function identifiers() {
  const n = `${String(process.pid % 1000).padStart(3, '0')}${++made}`
  return {
    prison_number: ` z${n}zz `,
    police_national_computer: ` 14/${n}r`,
    criminal_records_office: `${n}/14d `,
  }
}
const canonicalForm = (ids: Record<string, string>) =>
  Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v.trim().toUpperCase()]))

describe('compatibility: prison, PNC and CRO numbers have one canonical form on every write and lookup', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
  })

  const find = (name: string, value: string) =>
    as(app, frontend)
      .get('/api/people')
      .query({ [`filter[${name}]`]: value })
      .expect(200)
      .then(res => res.body.data.map((p: { id: string }) => p.id) as string[])

  it('when a person is created with lower-case, padded identifiers, then they are stored and answered trimmed and upper case', async () => {
    const sent = identifiers()
    const id = await aPerson(world, { attributes: sent })
    const shown = await as(app, frontend).get(`/api/people/${id}`).expect(200)
    expect(shown.body.data.attributes).to.include(canonicalForm(sent))
    const row = await services.db('people').where({ id }).first(Object.keys(sent))
    expect(row).to.deep.equal(canonicalForm(sent))
  })

  it('when people are looked up by any case or spacing of an identifier, then the person is found', async () => {
    const sent = identifiers()
    const id = await aPerson(world, { attributes: sent })
    for (const [name, value] of Object.entries(sent)) {
      for (const asked of [value, value.trim().toUpperCase(), value.trim().toLowerCase()]) {
        expect(await find(name, asked), `${name}=${asked}`).to.deep.equal([id])
      }
    }
  })

  it('when a person is updated with a lower-case identifier, then it is stored upper case', async () => {
    const id = await aPerson(world)
    const { police_national_computer: pnc } = identifiers()
    await as(app, frontend)
      .patch(`/api/people/${id}`)
      .set('Idempotency-Key', key())
      .send({ data: { type: 'people', id, attributes: { police_national_computer: pnc } } })
      .expect(200)
    expect(await find('police_national_computer', pnc.trim().toUpperCase())).to.deep.equal([id])
  })

  it('when a second person is given the same prison number in another case, then it is 422 taken and nothing is stored', async () => {
    const { prison_number: number } = identifiers()
    await aPerson(world, { attributes: { prison_number: number } })
    const res = await as(app, frontend)
      .post('/api/people')
      .set('Idempotency-Key', key())
      .send({
        data: { type: 'people', attributes: { first_names: 'A', last_name: 'B', prison_number: number.toUpperCase() } },
      })
      .expect(422)
    expect(res.body.errors[0]).to.deep.include({ code: 'taken', source: { pointer: '/data/attributes/prison_number' } })
    const other = await aPerson(world)
    await as(app, frontend)
      .patch(`/api/people/${other}`)
      .set('Idempotency-Key', key())
      .send({ data: { type: 'people', id: other, attributes: { prison_number: number.trim() } } })
      .expect(422)
    const holders = await services.db('people').where({ prison_number: number.trim().toUpperCase() }).pluck('id')
    expect(holders).to.have.length(1)
  })

  it('when a blank identifier is sent, then the person has none (null), not an empty string', async () => {
    const id = await aPerson(world, { attributes: { criminal_records_office: '   ' } })
    const row = await services.db('people').where({ id }).first('criminal_records_office')
    expect(row.criminal_records_office).to.equal(null)
  })

  it('when a prisoner record is received with lower-case PNC and CRO, then people found by them are imported canonical', async () => {
    const admin = await world.clientWith({ roles: ['records-admin'] })
    const nomsId = `K${String(process.pid % 10000).padStart(4, '0')}CF`
    const sent = identifiers()
    await supertest(app)
      .post('/nomisapi/admin/receptions')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({
        noms_id: nomsId,
        prison_id: 'LEI',
        given_name: 'CASEY',
        surname: 'FORMS',
        date_of_birth: '1980-02-03',
        pnc_number: sent.police_national_computer,
        cro_number: sent.criminal_records_office,
      })
      .expect(201)
    const offender = await services.db('offenders').where({ noms_id: nomsId }).first('pnc_number', 'cro_number')
    expect(offender).to.deep.equal({
      pnc_number: sent.police_national_computer.trim().toUpperCase(),
      cro_number: sent.criminal_records_office.trim().toUpperCase(),
    })
    const [byPnc] = await find('police_national_computer', sent.police_national_computer.trim().toLowerCase())
    expect(byPnc).to.be.a('string')
    expect(await find('prison_number', nomsId.toLowerCase())).to.deep.equal([byPnc])
    expect(await find('criminal_records_office', sent.criminal_records_office)).to.deep.equal([byPnc])
    const person = await services.db('people').where({ id: byPnc }).first('prison_number', 'police_national_computer')
    expect(person).to.deep.equal({
      prison_number: nomsId,
      police_national_computer: sent.police_national_computer.trim().toUpperCase(),
    })
  })

  it('when anything writes a non-canonical identifier straight to the database, then the CHECK constraint refuses it', async () => {
    for (const [table, row] of [
      ['people', { id: crypto.randomUUID(), first_names: 'A', last_name: 'B', prison_number: 'a1234bc' }],
      ['people', { id: crypto.randomUUID(), first_names: 'A', last_name: 'B', police_national_computer: ' 1/2X' }],
      ['people', { id: crypto.randomUUID(), first_names: 'A', last_name: 'B', criminal_records_office: '' }],
    ] as const) {
      let refused: { code?: string } | undefined
      await services
        .db(table)
        .insert(row)
        .catch((err: { code?: string }) => (refused = err))
      expect(refused?.code, JSON.stringify(row)).to.equal('23514')
    }
  })
})

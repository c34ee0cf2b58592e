import { expect } from 'chai'
import type { Express } from 'express'
import { walkthroughIds } from '../../db/seeds/referenceData'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'

describe('Reference data: locations', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
  })

  it("when locations are filtered by Brinsford's NOMIS agency id, then it is found, in the seed walkthrough shape", async () => {
    const res = await as(app, frontend).get('/api/reference/locations?filter%5Bnomis_agency_id%5D=BSI').expect(200)
    expect(res.body.data).to.have.length(1)
    const [brinsford] = res.body.data
    expect(brinsford).to.deep.include({ id: walkthroughIds.brinsford, type: 'locations' })
    expect(brinsford.attributes).to.include({
      key: 'bsi',
      title: 'BRINSFORD (HMP)',
      location_type: 'prison',
      nomis_agency_id: 'BSI',
      can_upload_documents: false,
      disabled_at: null,
    })
    expect(brinsford.relationships.suppliers.data).to.deep.equal([
      { type: 'suppliers', id: (await services.db('suppliers').where({ key: 'geoamey' }).first()).id },
    ])
  })

  it('when locations are filtered by type or several comma-separated agency ids, then the matching ones are listed', async () => {
    const courts = await as(app, frontend).get('/api/reference/locations?filter%5Blocation_type%5D=court&per_page=100')
    expect(courts.body.data.length).to.be.greaterThan(2)
    expect(
      courts.body.data.every((l: { attributes: { location_type: string } }) => l.attributes.location_type === 'court'),
    ).to.equal(true)
    const two = await as(app, frontend).get('/api/reference/locations?filter%5Bnomis_agency_id%5D=BMI,LEI').expect(200)
    expect(two.body.data.map((l: { attributes: { key: string } }) => l.attributes.key).sort()).to.deep.equal([
      'bmi',
      'lei',
    ])
  })

  it("when locations are filtered by supplier, then that supplier's are listed", async () => {
    const serco = (await services.db('suppliers').where({ key: 'serco' }).first()).id
    const res = await as(app, frontend).get(`/api/reference/locations?filter%5Bsupplier_id%5D=${serco}&per_page=100`)
    expect(res.body.data.length).to.be.greaterThan(0)
    for (const location of res.body.data) {
      expect(location.relationships.suppliers.data.map((s: { id: string }) => s.id)).to.include(serco)
    }
  })

  it('when the supplier filter is not a UUID, then it is 400', async () => {
    const res = await as(app, frontend).get('/api/reference/locations?filter%5Bsupplier_id%5D=serco').expect(400)
    expect(res.body.errors[0].source).to.deep.equal({ parameter: 'filter[supplier_id]' })
  })

  it('when suppliers are included, then each is there once', async () => {
    const res = await as(app, frontend).get('/api/reference/locations?include=suppliers&per_page=100').expect(200)
    const included = res.body.included.map((r: { type: string; id: string }) => `${r.type}:${r.id}`)
    expect(included).to.have.length(new Set(included).size)
    expect(res.body.included.map((r: { attributes: { key: string } }) => r.attributes.key).sort()).to.deep.equal([
      'geoamey',
      'serco',
    ])
  })

  it('when fields[locations] is given, then only those fields are answered', async () => {
    const res = await as(app, frontend)
      .get('/api/reference/locations?fields%5Blocations%5D=title&per_page=1')
      .expect(200)
    expect(Object.keys(res.body.data[0].attributes)).to.deep.equal(['title'])
  })

  it('when one location is asked for by id, then it is answered; an unknown id is 404', async () => {
    const res = await as(app, frontend).get(`/api/reference/locations/${walkthroughIds.isleOfWight}`).expect(200)
    expect(res.body.data.attributes.nomis_agency_id).to.equal('IWI')
    await as(app, frontend).get('/api/reference/locations/00000000-0000-4000-8000-000000000000').expect(404)
  })

  describe('pagination', () => {
    it('when paged with page[number] and page[size], then links are absolute and percent-encoded, with meta.pagination', async () => {
      const total = Number((await services.db('locations').where({ location_type: 'prison' }).count('* as c'))[0]!.c)
      const res = await as(app, frontend)
        .get('/api/reference/locations?filter%5Blocation_type%5D=prison&page%5Bnumber%5D=2&page%5Bsize%5D=2')
        .expect(200)
      const base = `${res.request.url.split('/api/')[0]}/api/reference/locations?filter%5Blocation_type%5D=prison`
      const pages = Math.ceil(total / 2)
      expect(res.body.data).to.have.length(2)
      expect(res.body.links).to.deep.equal({
        self: `${base}&page%5Bnumber%5D=2&page%5Bsize%5D=2`,
        first: `${base}&page%5Bnumber%5D=1&page%5Bsize%5D=2`,
        prev: `${base}&page%5Bnumber%5D=1&page%5Bsize%5D=2`,
        next: `${base}&page%5Bnumber%5D=3&page%5Bsize%5D=2`,
        last: `${base}&page%5Bnumber%5D=${pages}&page%5Bsize%5D=2`,
      })
      expect(res.body.meta.pagination).to.deep.equal({
        per_page: 2,
        total_pages: pages,
        total_objects: total,
        links: {
          // The page size stays in every link (issue #17): following one gives pages of 2, not 20.
          first: '/api/reference/locations?filter%5Blocation_type%5D=prison&page%5Bnumber%5D=1&page%5Bsize%5D=2',
          last: `/api/reference/locations?filter%5Blocation_type%5D=prison&page%5Bnumber%5D=${pages}&page%5Bsize%5D=2`,
        },
      })
    })

    it("when paged the reference's way with page/per_page, then it is taken, 20 by default, with no prev on page 1", async () => {
      const res = await as(app, frontend).get('/api/reference/locations?page=1').expect(200)
      expect(res.body.meta.pagination.per_page).to.equal(20)
      expect(res.body.links.prev).to.equal(null)
      const small = await as(app, frontend).get('/api/reference/locations?page=2&per_page=3').expect(200)
      expect(small.body.data).to.have.length(3)
      expect(small.body.links.self).to.contain('page%5Bnumber%5D=2&page%5Bsize%5D=3')
    })

    it('when links.next is followed to the end, then every location is seen exactly once', async () => {
      const total = Number((await services.db('locations').count('* as c'))[0]!.c)
      const seen: string[] = []
      let url: string | null = '/api/reference/locations?per_page=7'
      while (url) {
        const res: { body: { data: { id: string }[]; links: { next: string | null } } } = await as(app, frontend)
          .get(url)
          .expect(200)
        seen.push(...res.body.data.map((l: { id: string }) => l.id))
        url = res.body.links.next ? new URL(res.body.links.next).pathname + new URL(res.body.links.next).search : null
      }
      expect(seen).to.have.length(total)
      expect(new Set(seen).size).to.equal(total)
    })
  })

  describe('adding a location (admin)', () => {
    const body = (key: string, extra: Record<string, unknown> = {}) => ({
      data: { type: 'locations', attributes: { key, title: `Court ${key}`, location_type: 'court', ...extra } },
    })

    it('when an admin creates a location with its suppliers, then it is 201 with Location equal to links.self', async () => {
      const admin = await world.clientWith({ roles: ['admin'] })
      const serco = (await services.db('suppliers').where({ key: 'serco' }).first()).id
      const key = `new_court_${process.pid}`
      const res = await as(app, admin)
        .post('/api/reference/locations')
        .set('Idempotency-Key', crypto.randomUUID())
        .send({
          data: {
            ...body(key, { nomis_agency_id: 'NEWC' }).data,
            relationships: { suppliers: { data: [{ type: 'suppliers', id: serco }] } },
          },
        })
        .expect(201)
      expect(res.headers.location).to.equal(res.body.links.self)
      expect(res.body.data.relationships.suppliers.data).to.deep.equal([{ type: 'suppliers', id: serco }])
      await as(app, frontend).get(new URL(res.headers.location).pathname).expect(200)
    })

    it('when the client has no admin role, then it is 403 and nothing is stored', async () => {
      const key = `forbidden_${process.pid}`
      await as(app, frontend)
        .post('/api/reference/locations')
        .set('Idempotency-Key', crypto.randomUUID())
        .send(body(key))
        .expect(403)
      expect(await services.db('locations').where({ key }).first()).to.equal(undefined)
    })

    it('when the key exists, the type is another or the supplier unknown, then it is 422 taken, 409 or 404', async () => {
      const admin = await world.clientWith({ roles: ['admin'] })
      const post = (payload: unknown) =>
        as(app, admin)
          .post('/api/reference/locations')
          .set('Idempotency-Key', crypto.randomUUID())
          .send(payload as object)
      const taken = await post(body('bsi')).expect(422)
      expect(taken.body.errors[0]).to.deep.include({ code: 'taken', source: { pointer: '/data/attributes/key' } })
      const wrongType = await post({ data: { ...body(`t_${process.pid}`).data, type: 'moves' } }).expect(409)
      expect(wrongType.body.errors[0]).to.deep.include({ code: 'type_conflict', source: { pointer: '/data/type' } })
      const key = `nosupplier_${process.pid}`
      await post({
        data: {
          ...body(key).data,
          relationships: { suppliers: { data: [{ type: 'suppliers', id: crypto.randomUUID() }] } },
        },
      }).expect(404)
      expect(await services.db('locations').where({ key }).first()).to.equal(undefined)
    })
  })
})

describe('Reference data: lists', () => {
  let app: Express
  let frontend: TestClient

  before(async () => {
    ;({ app, frontend } = await testWorld())
  })

  it('when assessment questions are listed, then every one of the reference is there, filterable by category', async () => {
    const res = await as(app, frontend).get('/api/reference/assessment_questions').expect(200)
    const keys = res.body.data.map((q: { attributes: { key: string } }) => q.attributes.key)
    expect(keys).to.include.members([
      'violent',
      'escape',
      'hold_separately',
      'other_risks',
      'health_issue',
      'interpreter',
    ])
    expect(keys).to.have.length(18)
    const health = await as(app, frontend).get('/api/reference/assessment_questions?filter%5Bcategory%5D=health')
    expect(
      health.body.data.every((q: { attributes: { category: string } }) => q.attributes.category === 'health'),
    ).to.equal(true)
  })

  for (const [list, key] of [
    ['suppliers', 'serco'],
    ['allocation_complex_cases', 'hold_separately'],
    ['ethnicities', 'w1'],
    ['genders', 'male'],
    ['prison_transfer_reasons', 'compassionate'],
  ]) {
    it(`lists ${list}`, async () => {
      const res = await as(app, frontend).get(`/api/reference/${list}`).expect(200)
      expect(res.body.data.map((r: { attributes: { key: string } }) => r.attributes.key)).to.include(key)
      expect(res.body.data[0].type).to.equal(list)
    })
  }
})

import { expect } from 'chai'
import { as } from '../support/app'
import { aMove } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe("Reference lists: regions, categories, identifier types, a supplier's locations (issue #21)", () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  const get = (url: string) => as(world.app, world.frontend).get(url)
  const keys = (data: { attributes: { key: string } }[]) => data.map(r => r.attributes.key)

  it('when the regions are listed, then the nine are there by key, each with the locations it groups when included', async () => {
    const res = await get('/api/reference/regions?include=locations').expect(200)
    expect(keys(res.body.data)).to.deep.equal(['1', '2', '3', '4', '5A', '5B', '6', '7', '8'])
    const midlands = res.body.data.find((r: { attributes: { key: string } }) => r.attributes.key === '3')
    expect(midlands.attributes.name).to.equal('Midlands and York and Humberside')
    const included = new Map(
      res.body.included.map((l: { id: string; attributes: { key: string } }) => [l.id, l.attributes.key]),
    )
    const midlandKeys = midlands.relationships.locations.data.map((l: { id: string }) => included.get(l.id))
    expect(midlandKeys).to.include.members(['bmi', 'bsi', 'lei'])

    const one = await get(`/api/reference/regions/${midlands.id}`).expect(200)
    expect(one.body.data.attributes).to.deep.include({ key: '3' })
    await get(`/api/reference/regions/${crypto.randomUUID()}`).expect(404)
  })

  it('when the categories are listed, then A, E and H are the ones not supported for moves', async () => {
    const res = await get('/api/reference/categories').expect(200)
    expect(res.body.data).to.have.length(23)
    const unsupported = res.body.data
      .filter((c: { attributes: { move_supported: boolean } }) => !c.attributes.move_supported)
      .map((c: { attributes: { key: string } }) => c.attributes.key)
    expect(unsupported).to.deep.equal(['A', 'E', 'H'])
  })

  it('when the identifier types are listed, then each has its key as its id', async () => {
    const res = await get('/api/reference/identifier_types').expect(200)
    expect(res.body.data.map((t: { id: string }) => t.id)).to.deep.equal([
      'police_national_computer',
      'prison_number',
      'criminal_records_office',
    ])
    expect(res.body.data[0].attributes).to.deep.include({ key: 'police_national_computer', disabled_at: null })
  })

  it("when a supplier's locations are listed, then they are where its moves start, paginated with the total", async () => {
    // Leeds and Moorland moves are serco's; each location shows once however many moves start there.
    await aMove(world, { from: 'lei', to: 'leedcc', moveType: 'court_appearance' })
    await aMove(world, { from: 'lei', to: 'leedcc', moveType: 'court_appearance' })
    const serco = (await world.services.db('suppliers').where({ key: 'serco' }).first('id')).id
    const all = await get(`/api/suppliers/${serco}/locations?per_page=100`).expect(200)
    const fromKeys = keys(all.body.data)
    expect(fromKeys).to.include('lei')
    expect(new Set(fromKeys).size).to.equal(fromKeys.length)
    const total = all.body.meta.pagination.total_objects
    expect(total).to.equal(fromKeys.length)
    const first = await get(`/api/suppliers/${serco}/locations?per_page=1`).expect(200)
    expect(first.body.data).to.have.length(1)
    expect(first.body.meta.pagination.total_objects).to.equal(total)
    await get(`/api/suppliers/${crypto.randomUUID()}/locations`).expect(404)
  })
})

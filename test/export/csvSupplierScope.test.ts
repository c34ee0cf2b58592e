import { expect } from 'chai'
import { aMove, uniqueDate } from '../support/builders'
import { csvRecords, exportCsv } from '../support/csv'
import { testWorld, type World } from '../support/world'

describe('The CSV export: a supplier exports only the moves it may see', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it("when a supplier exports a day, then its own moves are in the file and another supplier's are not", async () => {
    const date = uniqueDate()
    // Leeds to Moorland is Serco's; Brinsford to the Isle of Wight is GEOAmey's.
    const sercos = await aMove(world, { date, from: 'lei', to: 'mdi' })
    const geoameys = await aMove(world, { date })
    const reference = async (id: string) =>
      (await world.services.db('moves').where({ id }).first('reference')).reference

    const serco = csvRecords((await exportCsv(world, world.serco, { date_from: date, date_to: date }).expect(200)).text)
    expect(serco.map(r => r.Reference)).to.deep.equal([await reference(sercos.id)])
    expect(serco[0]!.Supplier).to.equal('Serco')

    const frontend = csvRecords(
      (await exportCsv(world, world.frontend, { date_from: date, date_to: date }).expect(200)).text,
    )
    expect(frontend.map(r => r.Reference)).to.have.members([await reference(sercos.id), await reference(geoameys.id)])
  })
})

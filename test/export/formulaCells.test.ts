import { expect } from 'chai'
import { aMove, uniqueDate } from '../support/builders'
import { exportCsv } from '../support/csv'
import { testWorld, type World } from '../support/world'

describe('Formula cells in the CSV export', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when a text starts with a formula character, even after spaces or a line break, then its cell starts with an apostrophe', async () => {
    const date = uniqueDate()
    const cells: [typed: string, exported: string][] = [
      ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
      ['+1+1', "'+1+1"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\t=1+1', "'\t=1+1"],
      [' =1+1', "' =1+1"],
      ['  -2+3', "'  -2+3"],
      ['\n=1+1', `"'\n=1+1"`],
      ['plain, "quoted"', '"plain, ""quoted"""'],
    ]
    for (const [typed] of cells) await aMove(world, { date, attributes: { additional_information: typed } })

    const res = await exportCsv(world, world.frontend, { date_from: date, date_to: date }).expect(200)
    for (const [typed, exported] of cells) {
      expect(res.text, JSON.stringify(typed)).to.include(`,${exported},${date},`)
    }
  })
})

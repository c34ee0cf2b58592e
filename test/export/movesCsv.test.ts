import { expect } from 'chai'
import { CSV_HEADINGS } from '../../lib/moves/csvExport'
import { aMove, moveEvent, uniqueDate } from '../support/builders'
import { csvRecords, exportCsv } from '../support/csv'
import { testWorld, type World } from '../support/world'

describe('The CSV export of moves', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it("when moves are exported with the list's filter, then the file has the reference's headings and one record per matching move", async () => {
    const date = uniqueDate()
    const kept = await aMove(world, { date })
    const cancelled = await aMove(world, { date })
    await moveEvent(world, world.frontend, cancelled.id, 'cancel', {
      cancellation_reason: 'made_in_error',
      cancellation_reason_comment: 'booked twice',
    }).expect(204)
    await aMove(world, { date, moveType: 'court_appearance', to: 'brmcc' })

    const res = await exportCsv(world, world.frontend, {
      date_from: date,
      date_to: date,
      move_type: 'prison_transfer',
    }).expect(200)
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).to.equal('attachment; filename="moves.csv"')
    expect(res.text.split('\r\n')[0]).to.equal(CSV_HEADINGS.join(','))

    const records = csvRecords(res.text)
    const references = await world.services.db('moves').whereIn('id', [kept.id, cancelled.id]).select('id', 'reference')
    expect(records.map(r => r.Reference)).to.have.members(references.map(r => r.reference))
    const row = (id: string) => records.find(r => r.Reference === references.find(m => m.id === id)!.reference)!
    expect(row(kept.id)).to.include({
      Status: 'requested',
      'Move type': 'prison_transfer',
      'From location code': 'BSI',
      'Date of travel': date,
      'Last name': 'TESTER',
      Violent: 'false',
      'Uploaded documents': '0',
      'Cancellation reason': '',
    })
    expect(row(cancelled.id)).to.include({
      Status: 'cancelled',
      'Cancellation reason': 'made_in_error',
      'Cancellation comment': 'booked twice',
    })
  })

  it('when nothing matches, then the file is the header row alone', async () => {
    const date = uniqueDate()
    const res = await exportCsv(world, world.frontend, { date_from: date, date_to: date }).expect(200)
    expect(res.text).to.equal(`${CSV_HEADINGS.join(',')}\r\n`)
  })

  it('when a filter is not valid, then it is 400 at the filter, before any CSV', async () => {
    const res = await exportCsv(world, world.frontend, { date_from: 'yesterday' }).expect(400)
    expect(res.headers['content-type']).to.equal('application/vnd.api+json')
    expect(res.body.errors[0].source.pointer).to.equal('/data/attributes/filter/date_from')
  })
})

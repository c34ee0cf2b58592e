import { expect } from 'chai'
import { addDays, daysBetween } from '../../lib/calendar'

describe('Calendar dates', () => {
  it('adds days across month, leap-day and year ends, and takes them away', () => {
    expect(addDays('2028-02-28', 1)).to.equal('2028-02-29')
    expect(addDays('2027-12-31', 1)).to.equal('2028-01-01')
    expect(addDays('2027-03-01', -1)).to.equal('2027-02-28')
    expect(addDays('2027-01-15', 0)).to.equal('2027-01-15')
  })

  it('counts the days between two dates, negative when the second is earlier, whatever the clocks do', () => {
    expect(daysBetween('2027-03-27', '2027-03-29')).to.equal(2)
    expect(daysBetween('2027-10-31', '2027-10-30')).to.equal(-1)
    expect(daysBetween('2027-12-31', addDays('2027-12-31', 400))).to.equal(400)
  })
})

import { expect } from 'chai'
import {
  adjustBalance,
  allocate,
  balanceOf,
  nextAllocationDates,
  refundVisit,
  type Ledger,
  type VisitOrder,
} from '../../lib/visits/rules'

const TODAY = '2026-02-02'
const order = (type: 'VO' | 'PVO', status: VisitOrder['status'], createdDate: string, id?: number): VisitOrder => ({
  id,
  type,
  status,
  createdDate,
  expiryDate: null,
  visitReference: null,
})
const ledger = (orders: VisitOrder[], lastVo = '2026-01-25', lastPvo: string | null = '2026-01-25'): Ledger => ({
  prisonerId: 'A0000AA',
  lastVoAllocatedDate: lastVo,
  lastPvoAllocatedDate: lastPvo,
  orders,
  debts: [],
})
const STD = { visitOrders: 2, privilegedVisitOrders: 1 }

describe('Visit allocation rules', () => {
  it('expires an unused PVO after 28 days, even when nothing is due', () => {
    const result = allocate(ledger([order('PVO', 'AVAILABLE', '2026-01-05', 1)]), {
      today: TODAY,
      amounts: STD,
      level: 'STD',
    })
    expect(result.ledger.orders[0]).to.include({ status: 'EXPIRED', expiryDate: TODAY })
    expect(result.history.map(h => h.type)).to.deep.equal(['PVO_EXPIRATION'])
    expect(result.changed).to.equal(true)
  })

  it('changes nothing when nothing is due or ageing', () => {
    const result = allocate(ledger([order('VO', 'AVAILABLE', '2026-01-25', 1)]), {
      today: TODAY,
      amounts: STD,
      level: 'STD',
    })
    expect(result.changed).to.equal(false)
    expect(result.history).to.deep.equal([])
  })

  it('expires accumulated VOs above a lowered cap, oldest first', () => {
    const orders = [1, 2, 3, 4].map(i => order('VO', 'ACCUMULATED', `2025-12-0${i}`, i))
    const result = allocate(ledger(orders), { today: TODAY, amounts: STD, level: 'STD', max: 2 })
    expect(result.ledger.orders.filter(o => o.status === 'EXPIRED').map(o => o.id)).to.deep.equal([1, 2])
  })

  it('gives the next dates: VO 14 days on, tomorrow when overdue, PVO never before the VO', () => {
    expect(nextAllocationDates(ledger([], '2026-01-25', '2026-01-25'), TODAY)).to.deep.equal({
      nextVoDate: '2026-02-08',
      nextPvoDate: '2026-02-22',
    })
    expect(nextAllocationDates(ledger([], '2026-01-01', null), TODAY)).to.deep.equal({
      nextVoDate: '2026-02-03',
      nextPvoDate: '2026-02-03',
    })
  })

  it('a negative adjustment takes accumulated VOs before available ones, newest first', () => {
    const orders = [
      order('VO', 'ACCUMULATED', '2025-12-01', 1),
      order('VO', 'ACCUMULATED', '2025-12-15', 2),
      order('VO', 'AVAILABLE', '2026-01-25', 3),
    ]
    const { ledger: after, errors } = adjustBalance(ledger(orders), { today: TODAY, voAmount: -1 })
    expect(errors).to.deep.equal([])
    expect(after.orders.filter(o => o.status === 'EXPIRED').map(o => o.id)).to.deep.equal([2])
    const { ledger: more } = adjustBalance(ledger(orders), { today: TODAY, voAmount: -2 })
    expect(more.orders.filter(o => o.status === 'EXPIRED').map(o => o.id)).to.deep.equal([1, 2])
  })

  it('a positive adjustment repays debt of its own type first', () => {
    const start = ledger([])
    start.debts.push({
      id: 1,
      type: 'PVO',
      status: 'USED',
      createdDate: TODAY,
      repaidDate: null,
      repaidReason: null,
      visitReference: null,
    })
    const { ledger: after } = adjustBalance(start, { today: TODAY, pvoAmount: 2 })
    expect(after.debts[0]).to.include({ status: 'REPAID', repaidReason: 'MANUAL_PRISONER_BALANCE_ADJUSTMENT' })
    expect(balanceOf(after)).to.include({ pvoBalance: 1, pvoAvailable: 1 })
  })

  it('a cancelled visit does not give back a VO above the cap', () => {
    const full = Array.from({ length: 26 }, (_, i) => order('VO', 'AVAILABLE', '2026-01-25', i + 1))
    const used = { ...order('VO', 'USED', '2026-01-11', 99), visitReference: 'v1' }
    const after = refundVisit(ledger([...full, used]), { today: TODAY, visitReference: 'v1', type: 'VO' })
    expect(after.orders.find(o => o.id === 99)).to.include({ status: 'USED' })
    expect(balanceOf(after).voBalance).to.equal(26)
  })

  it('a cancelled visit whose order is gone gives a new one (#245)', () => {
    const after = refundVisit(ledger([]), { today: TODAY, visitReference: 'v2', type: 'PVO' })
    expect(balanceOf(after)).to.include({ pvoBalance: 1 })
  })
})

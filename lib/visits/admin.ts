import type { Db } from '../../db/client'
import type { Clock } from '../clock'
import { DomainError } from '../errors'
import { DEFAULT_AMOUNTS } from './rules'

/** The per-prison switch and incentive amounts, which we own (the reference read them from NOMIS and incentives-api). */

async function requirePrison(db: Db, prisonCode: string): Promise<void> {
  if (!(await db('prisons').where({ prison_id: prisonCode }).first('prison_id'))) {
    throw new DomainError('not_found', `Unknown prison ${prisonCode}`)
  }
}

export async function listPrisonSwitches(db: Db) {
  const rows = await db('prisons as p')
    .leftJoin('visit_allocation_prisons as v', 'v.prison_code', 'p.prison_id')
    .orderBy('p.prison_id')
    .select('p.prison_id', 'p.active', 'v.allocation_enabled')
  return rows.map(r => ({
    prisonCode: r.prison_id as string,
    active: Boolean(r.active),
    allocationEnabled: Boolean(r.allocation_enabled),
  }))
}

export async function setPrisonSwitch(db: Db, clock: Clock, prisonCode: string, enabled: boolean) {
  await requirePrison(db, prisonCode)
  await db('visit_allocation_prisons')
    .insert({ prison_code: prisonCode, allocation_enabled: enabled, updated_at: clock.now() })
    .onConflict('prison_code')
    .merge(['allocation_enabled', 'updated_at'])
  return { prisonCode, allocationEnabled: enabled }
}

/** The amounts that apply at the prison: its overrides, else the documented defaults. */
export async function incentiveAmounts(db: Db, prisonCode: string) {
  await requirePrison(db, prisonCode)
  const overrides = await db('visit_incentive_amounts').where({ prison_code: prisonCode })
  const levels = new Set([...Object.keys(DEFAULT_AMOUNTS), ...overrides.map(o => o.level_code as string)])
  return [...levels].sort().map(levelCode => {
    const o = overrides.find(r => r.level_code === levelCode)
    const d = DEFAULT_AMOUNTS[levelCode]
    return {
      levelCode,
      visitOrders: (o?.visit_orders ?? d!.visitOrders) as number,
      privilegedVisitOrders: (o?.privileged_visit_orders ?? d!.privilegedVisitOrders) as number,
      isDefault: !o,
    }
  })
}

export async function setIncentiveAmounts(
  db: Db,
  clock: Clock,
  prisonCode: string,
  levelCode: string,
  amounts: { visitOrders: number; privilegedVisitOrders: number },
) {
  await requirePrison(db, prisonCode)
  await db('visit_incentive_amounts')
    .insert({
      prison_code: prisonCode,
      level_code: levelCode,
      visit_orders: amounts.visitOrders,
      privileged_visit_orders: amounts.privilegedVisitOrders,
      updated_at: clock.now(),
    })
    .onConflict(['prison_code', 'level_code'])
    .merge(['visit_orders', 'privileged_visit_orders', 'updated_at'])
  return { levelCode, ...amounts, isDefault: false }
}

import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/client'

let shortPrisons = 0
const letterPair = (n: number) => String.fromCharCode(65 + (Math.floor(n / 26) % 26), 65 + (n % 26))

/**
 * A prison of our own with visit allocation switched on, so that other tests' rows never interfere.
 * `short` gives a three-letter code, as the records API takes (QAA, QAB, … in a run).
 */
export async function testPrison(db: Db, enabled = true, options: { short?: boolean } = {}): Promise<string> {
  const code = options.short ? `Q${letterPair(shortPrisons++)}` : `V${randomBytes(3).toString('hex').toUpperCase()}`
  await db('prisons').insert({ prison_id: code, description: `Visits test prison ${code}` })
  await db('visit_allocation_prisons').insert({ prison_code: code, allocation_enabled: enabled })
  return code
}

let counter = 0

export function nomsNumber(): string {
  counter += 1
  return `T${process.pid % 1000}${String(counter).padStart(4, '0')}${randomBytes(1).toString('hex').toUpperCase()}`
}

export async function testPrisoner(
  db: Db,
  prisonId: string,
  options: { convicted?: boolean; level?: string; nomsId?: string } = {},
): Promise<string> {
  const nomsId = options.nomsId ?? nomsNumber()
  await db('offenders').insert({
    noms_id: nomsId,
    given_name: 'Test',
    surname: 'Prisoner',
    date_of_birth: '1990-01-01',
    convicted: options.convicted ?? true,
    iep_level_code: options.level ?? 'STD',
    prison_id: prisonId,
    custody_status: 'IN',
  })
  return nomsId
}

import { randomBytes } from 'node:crypto'
import type { Db } from '../../db/client'
import { DOMAIN_EVENTS_QUEUE } from '../../lib/visits/events'

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

/**
 * The domain events on the visits queue (in any state) that name `nomsId`, oldest first: what a
 * prisoner-record change has published, read from pg-boss's job table without running a worker.
 */
export async function queuedDomainEvents(
  services: { db: Db; config: { queueSchema: string } },
  nomsId: string,
): Promise<{ eventType: string; additionalInformation: Record<string, unknown>; occurredAt: string }[]> {
  const rows = (await services.db
    .withSchema(services.config.queueSchema)
    .from('job')
    .where({ name: DOMAIN_EVENTS_QUEUE })
    .whereRaw(`data->>'Message' LIKE ?`, [`%"${nomsId}"%`])
    .orderBy('created_on')
    .select('data')) as { data: { Message: string } }[]
  return rows.map(row => JSON.parse(row.data.Message))
}

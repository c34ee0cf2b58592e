import type { Tx } from '../../db/client'
import { DomainError } from '../errors'
import { MOVE_REFERENCE } from './references'
import { scopeToSupplier } from './rows'

/**
 * A plain-text account of one move for support staff (issue #21; the reference's diagnostics): the
 * move, its timeline, its lodgings and its journeys, oldest first. The person moved is named only when
 * `withPerson` is true (a client holding the `diagnostics-pii` role); otherwise only the ids show.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const text = (value: unknown): string => {
  if (value === null || value === undefined) return '-'
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function section(title: string, rows: Record<string, unknown>[], empty: string): string[] {
  const lines = [`${title} (${rows.length})`]
  if (!rows.length) lines.push(`  ${empty}`)
  for (const row of rows) {
    lines.push(
      `  - ${Object.entries(row)
        .map(([k, v]) => `${k}: ${text(v)}`)
        .join(', ')}`,
    )
  }
  return lines
}

/**
 * The move named by `idOrReference` (its id, or its reference in any case) that a client of
 * `supplierId` may see (404 otherwise), as lines of text ending with a newline.
 */
export async function moveDiagnostics(
  tx: Tx,
  idOrReference: string,
  supplierId: string | null,
  withPerson: boolean,
): Promise<string> {
  const query = scopeToSupplier(
    tx('moves as m')
      .leftJoin('locations as f', 'f.id', 'm.from_location_id')
      .leftJoin('locations as t', 't.id', 'm.to_location_id')
      .leftJoin('suppliers as s', 's.id', 'm.supplier_id')
      .leftJoin('profiles as p', 'p.id', 'm.profile_id'),
    supplierId,
  )
  const reference = idOrReference.trim().toUpperCase()
  if (UUID.test(idOrReference)) query.where('m.id', idOrReference)
  else if (MOVE_REFERENCE.test(reference)) query.where('m.reference', reference)
  else throw new DomainError('not_found', `Couldn't find Move with 'id'=${idOrReference}`)
  const move = (await query.first(
    'm.id',
    'm.reference',
    'm.status',
    'm.move_type',
    tx.raw('m.date::text as date'),
    tx.raw('m.date_from::text as date_from'),
    tx.raw('m.date_to::text as date_to'),
    'm.time_due',
    'f.key as from_location',
    't.key as to_location',
    's.key as supplier',
    'm.profile_id',
    'p.person_id',
    'm.allocation_id',
    'm.cancellation_reason',
    'm.rejection_reason',
    'm.is_lockout',
    'm.created_at',
    'm.updated_at',
  )) as Record<string, unknown> | undefined
  if (!move) throw new DomainError('not_found', `Couldn't find Move with 'id'=${idOrReference}`)
  const moveId = move.id as string

  const [events, lodgings, journeys, person] = await Promise.all([
    tx('move_events')
      .where({ move_id: moveId })
      .orderBy([{ column: 'occurred_at' }, { column: 'id' }])
      .select('event_type', 'occurred_at', 'from_status', 'to_status', 'notes', 'details', 'created_at'),
    tx('lodgings as l')
      .join('locations as ll', 'll.id', 'l.location_id')
      .where('l.move_id', moveId)
      .orderBy([{ column: 'l.start_date' }, { column: 'l.id' }])
      .select(
        'l.id',
        'll.key as location',
        tx.raw('l.start_date::text as start_date'),
        tx.raw('l.end_date::text as end_date'),
        'l.status',
        'l.cancellation_reason',
      ),
    tx('journeys as j')
      .join('locations as jf', 'jf.id', 'j.from_location_id')
      .join('locations as jt', 'jt.id', 'j.to_location_id')
      .where('j.move_id', moveId)
      .orderBy([{ column: 'j.client_timestamp' }, { column: 'j.id' }])
      .select(
        'j.id',
        'jf.key as from_location',
        'jt.key as to_location',
        'j.state',
        'j.billable',
        'j.vehicle',
        'j.client_timestamp',
      ),
    withPerson && move.person_id
      ? tx('people')
          .where({ id: move.person_id })
          .first(
            'first_names',
            'last_name',
            tx.raw('date_of_birth::text as date_of_birth'),
            'prison_number',
            'police_national_computer',
            'criminal_records_office',
          )
      : undefined,
  ])

  const lines = [`Move ${move.reference}`]
  for (const [name, value] of Object.entries(move)) lines.push(`  ${name}: ${text(value)}`)
  lines.push('')
  if (withPerson) {
    lines.push(...section('Person', person ? [person as Record<string, unknown>] : [], 'none'))
  } else {
    lines.push('Person', '  (personal details need the diagnostics-pii role)')
  }
  lines.push('')
  lines.push(...section('Move events', events as Record<string, unknown>[], 'none'))
  lines.push('')
  lines.push(...section('Lodgings', lodgings as Record<string, unknown>[], 'none'))
  lines.push('')
  lines.push(...section('Journeys', journeys as Record<string, unknown>[], 'none'))
  return `${lines.join('\n')}\n`
}

import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import { addDays } from '../calendar'
import { DomainError, attribute, relationship } from '../errors'
import type { Write } from '../write'

/**
 * The moves that fill or free a prison's places: prison transfers that are booked or under way, or
 * happened (requested, booked, in transit, completed). Proposed ones are not agreed yet, and cancelled
 * ones will not happen.
 */
export const COUNTED_TRANSFER_STATUSES = ['requested', 'booked', 'in_transit', 'completed'] as const

/** The counts of a prison's day, all at least 0 (openapi.yaml PopulationAttributes). */
export type PopulationCounts = {
  unlock: number
  bedwatch: number
  overnights_in: number
  overnights_out: number
  out_of_area_courts: number
  discharges: number
}

/** A prison's day as stored, with its prison-transfer moves and its free spaces. */
export type PopulationRow = PopulationCounts & {
  /** `new` for a draft (GET /api/populations/new), which is not stored. */
  id: string
  location_id: string
  date: string
  operational_capacity: number
  usable_capacity: number
  updated_by: string | null
  created_at: Date | null
  updated_at: Date | null
  /** The prison-transfer moves out of the location that day (COUNTED_TRANSFER_STATUSES). */
  moves_from: string[]
  /** ... and into it. */
  moves_to: string[]
  free_spaces: number
}

/**
 * The reference's free-spaces arithmetic: the usable capacity, less who is there at unlock, on bed
 * watch, staying over from elsewhere and arriving by transfer; plus who stays over elsewhere, is away at
 * court out of the area, is discharged or leaves by transfer.
 */
export function freeSpaces(
  p: PopulationCounts & { usable_capacity: number },
  transfersIn: number,
  transfersOut: number,
): number {
  return (
    p.usable_capacity -
    p.unlock -
    p.bedwatch -
    p.overnights_in -
    transfersIn +
    p.overnights_out +
    p.out_of_area_courts +
    p.discharges +
    transfersOut
  )
}

/** The ids of the counted prison-transfer moves `column` (from_location_id or to_location_id) of the row `pop`. */
function transferIds(tx: Tx, column: 'from_location_id' | 'to_location_id', as: string) {
  return tx.raw(
    `coalesce((select array_agg(tm.id order by tm.id) from moves tm
       where tm.${column} = pop.location_id and tm.date = pop.date and tm.move_type = 'prison_transfer'
         and tm.status in (${COUNTED_TRANSFER_STATUSES.map(() => '?').join(', ')})), '{}') as ??`,
    [...COUNTED_TRANSFER_STATUSES, as],
  )
}

type StoredRow = Omit<PopulationRow, 'free_spaces'>

function populationsQuery(tx: Tx): Knex.QueryBuilder {
  return tx('populations as pop').select(
    'pop.id',
    'pop.location_id',
    tx.raw('pop.date::text as date'),
    'pop.operational_capacity',
    'pop.usable_capacity',
    'pop.unlock',
    'pop.bedwatch',
    'pop.overnights_in',
    'pop.overnights_out',
    'pop.out_of_area_courts',
    'pop.discharges',
    'pop.updated_by',
    'pop.created_at',
    'pop.updated_at',
    transferIds(tx, 'from_location_id', 'moves_from'),
    transferIds(tx, 'to_location_id', 'moves_to'),
  )
}

const withFreeSpaces = (row: StoredRow): PopulationRow => ({
  ...row,
  free_spaces: freeSpaces(row, row.moves_to.length, row.moves_from.length),
})

/** A stored population; 404 for any other id. */
export async function findPopulation(tx: Tx, id: string): Promise<PopulationRow> {
  const row = (await populationsQuery(tx).where('pop.id', id).first()) as StoredRow | undefined
  if (!row) throw new DomainError('not_found', `Couldn't find Population with 'id'=${id}`)
  return withFreeSpaces(row)
}

export async function loadPopulations(tx: Tx, ids: string[]): Promise<PopulationRow[]> {
  return ((await populationsQuery(tx).whereIn('pop.id', ids)) as StoredRow[]).map(withFreeSpaces)
}

async function requireLocation(tx: Tx, id: string, subject?: ReturnType<typeof relationship>) {
  const location = (await tx('locations').where({ id }).first('id', 'nomis_agency_id')) as
    { id: string; nomis_agency_id: string | null } | undefined
  if (!location) {
    throw new DomainError('not_found', `Couldn't find Location with 'id'=${id}`, subject ? { subject } : {})
  }
  return location
}

/** What a new population is given (openapi.yaml PopulationCreate); absent counts are 0. */
export type PopulationInput = Partial<PopulationCounts> & {
  location_id: string
  date: string
  operational_capacity: number
  usable_capacity: number
  updated_by?: string
}

/** What a PATCH may change (openapi.yaml PopulationUpdate); absent members stay as they are. */
export type PopulationChanges = Partial<PopulationCounts> & {
  operational_capacity?: number
  usable_capacity?: number
  updated_by?: string
}

const COUNT_NAMES = [
  'unlock',
  'bedwatch',
  'overnights_in',
  'overnights_out',
  'out_of_area_courts',
  'discharges',
] as const

/**
 * Records a prison's day. Throws `not_found` (404) at the location relationship for an unknown
 * location, and `taken` (422) at `date`, with the existing record's id in `meta.existing_id`, when the
 * location has one for that date already: one per location and date, as the reference has it.
 */
export async function createPopulation(w: Write, input: PopulationInput, now: Date): Promise<PopulationRow> {
  const { tx } = w
  await requireLocation(tx, input.location_id, relationship('location'))
  const id = crypto.randomUUID()
  const counts = Object.fromEntries(COUNT_NAMES.map(name => [name, input[name] ?? 0]))
  const inserted = await tx('populations')
    .insert({
      id,
      location_id: input.location_id,
      date: input.date,
      operational_capacity: input.operational_capacity,
      usable_capacity: input.usable_capacity,
      ...counts,
      updated_by: input.updated_by ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict(['location_id', 'date'])
    .ignore()
    .returning('id')
  if (!inserted.length) {
    const existing = (await tx('populations')
      .where({ location_id: input.location_id, date: input.date })
      .first('id')) as { id: string }
    throw new DomainError('taken', 'Date has already been taken', {
      subject: attribute('date'),
      meta: { existing_id: existing.id },
    })
  }
  return findPopulation(tx, id)
}

/** Changes a population's capacities and counts; 404 for an unknown one. */
export async function updatePopulation(
  w: Write,
  id: string,
  changes: PopulationChanges,
  now: Date,
): Promise<PopulationRow> {
  const { tx } = w
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined))
  const updated = await tx('populations')
    .where({ id })
    .update({ ...defined, updated_at: now })
  if (!updated) throw new DomainError('not_found', `Couldn't find Population with 'id'=${id}`)
  return findPopulation(tx, id)
}

/**
 * A draft of a location's day, not stored: the capacities of its latest earlier record (0 without one);
 * `unlock`, the roll count of our prisoner records at the location's NOMIS agency (prisoners in); and
 * `discharges`, those our records discharged from there that London day, transfers out left out (they
 * are prison-transfer moves, counted as such). In place of the reference's NOMIS calls. 404 for an
 * unknown location.
 */
export async function draftPopulation(tx: Tx, locationId: string, date: string): Promise<PopulationRow> {
  const location = await requireLocation(tx, locationId)
  const earlier = (await tx('populations')
    .where({ location_id: locationId })
    .where('date', '<', date)
    .orderBy('date', 'desc')
    .first('operational_capacity', 'usable_capacity')) as
    { operational_capacity: number; usable_capacity: number } | undefined
  const agency = location.nomis_agency_id
  const roll = agency
    ? ((await tx('offenders').where({ prison_id: agency, custody_status: 'IN' }).count('* as count').first()) as {
        count: number | string
      })
    : { count: 0 }
  const discharged = agency
    ? ((await tx('offender_events as oe')
        .where({ 'oe.event_type': 'DISCHARGE', 'oe.prison_id': agency })
        .whereRaw(`(oe.event_timestamp at time zone 'Europe/London')::date = ?::date`, [date])
        .whereNotExists(function (this: Knex.QueryBuilder) {
          // A transfer out is recorded as a discharge with the reason TRN.
          this.select(1)
            .from('nomis_reference_codes as rc')
            .where({ 'rc.domain': 'DISCHARGE_REASON', 'rc.code': 'TRN' })
            .whereRaw(`rc.description = oe.payload->'discharge_status'->>'discharge_reason'`)
        })
        .count('* as count')
        .first()) as { count: number | string })
    : { count: 0 }
  const [movesFrom, movesTo] = await Promise.all(
    (['from_location_id', 'to_location_id'] as const).map(async column =>
      (
        (await tx('moves')
          .where({ [column]: locationId, date, move_type: 'prison_transfer' })
          .whereIn('status', COUNTED_TRANSFER_STATUSES)
          .orderBy('id')
          .select('id')) as { id: string }[]
      ).map(row => row.id),
    ),
  )
  const counts: PopulationCounts = {
    unlock: Number(roll.count),
    bedwatch: 0,
    overnights_in: 0,
    overnights_out: 0,
    out_of_area_courts: 0,
    discharges: Number(discharged.count),
  }
  const row: StoredRow = {
    id: 'new',
    location_id: locationId,
    date,
    operational_capacity: earlier?.operational_capacity ?? 0,
    usable_capacity: earlier?.usable_capacity ?? 0,
    ...counts,
    updated_by: null,
    created_at: null,
    updated_at: null,
    moves_from: movesFrom!,
    moves_to: movesTo!,
  }
  return withFreeSpaces(row)
}

/** One day of a location in `GET /api/locations_free_spaces`' `meta.populations`. */
export type PopulationDay = {
  id: string | null
  free_spaces: number | null
  transfers_in: number
  transfers_out: number
}

/** The days from `from` to `to`, both inclusive, as YYYY-MM-DD. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  return days
}

/**
 * Each location's days from `from` to `to`: its transfers in and out (counted prison-transfer moves)
 * and, where the day has a population record, its id and free spaces. Two statements whatever the
 * number of locations and days.
 */
export async function populationDays(
  tx: Tx,
  locationIds: string[],
  from: string,
  to: string,
): Promise<Map<string, PopulationDay[]>> {
  const [records, transfers] = await Promise.all([
    tx('populations')
      .whereIn('location_id', locationIds)
      .whereBetween('date', [from, to])
      .select('*', tx.raw('date::text as date')) as Promise<
      (PopulationCounts & {
        id: string
        location_id: string
        date: string
        usable_capacity: number
      })[]
    >,
    tx
      .select('location_id', 'date', tx.raw('sum(inbound)::int as inbound'), tx.raw('sum(outbound)::int as outbound'))
      .from(
        tx
          .select('to_location_id as location_id', tx.raw('date::text as date'), tx.raw('1 as inbound, 0 as outbound'))
          .from('moves')
          .whereIn('to_location_id', locationIds)
          .whereBetween('date', [from, to])
          .where('move_type', 'prison_transfer')
          .whereIn('status', COUNTED_TRANSFER_STATUSES)
          .unionAll(q =>
            q
              .select(
                'from_location_id as location_id',
                tx.raw('date::text as date'),
                tx.raw('0 as inbound, 1 as outbound'),
              )
              .from('moves')
              .whereIn('from_location_id', locationIds)
              .whereBetween('date', [from, to])
              .where('move_type', 'prison_transfer')
              .whereIn('status', COUNTED_TRANSFER_STATUSES),
          )
          .as('t'),
      )
      .groupBy('location_id', 'date') as Promise<
      { location_id: string; date: string; inbound: number; outbound: number }[]
    >,
  ])
  const key = (location: string, day: string) => `${location} ${day}`
  const record = new Map(records.map(r => [key(r.location_id, r.date), r]))
  const moved = new Map(transfers.map(t => [key(t.location_id, t.date), t]))
  const days = daysBetween(from, to)
  return new Map(
    locationIds.map(location => [
      location,
      days.map(day => {
        const r = record.get(key(location, day))
        const t = moved.get(key(location, day))
        const transfersIn = t?.inbound ?? 0
        const transfersOut = t?.outbound ?? 0
        return {
          id: r?.id ?? null,
          free_spaces: r ? freeSpaces(r, transfersIn, transfersOut) : null,
          transfers_in: transfersIn,
          transfers_out: transfersOut,
        }
      }),
    ]),
  )
}

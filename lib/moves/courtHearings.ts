import type { Tx } from '../../db/client'
import { authoriseWrite } from '../auth/writeScope'
import { DomainError, relationship } from '../errors'
import { recordCourtHearing } from '../prisonerRecords/schedule'
import type { Write } from '../write'

/** A court hearing as stored; `case_start_date` is YYYY-MM-DD, the NOMIS ids are numbers. */
export type CourtHearingRow = {
  id: string
  move_id: string | null
  start_time: Date
  case_start_date: string | null
  case_number: string | null
  case_type: string | null
  nomis_case_id: number | null
  nomis_hearing_id: number | null
  comments: string | null
  saved_to_nomis: boolean
  created_at: Date
  updated_at: Date
}

/** A hearing's input, as openapi.yaml's CourtHearingCreate declares it. */
export type CourtHearingInput = {
  start_time: string
  case_start_date?: string | null
  case_number?: string | null
  case_type?: string | null
  nomis_case_id?: number | null
  comments?: string | null
  moveId: string | null
  /** false keeps the hearing out of the prisoner records (the reference's `do_not_save_to_nomis`). */
  saveToRecords: boolean
}

type Client = { id: string; supplierId: string | null }

function hearingsQuery(tx: Tx) {
  return tx('court_hearings').select(
    'id',
    'move_id',
    'start_time',
    tx.raw('case_start_date::text as case_start_date'),
    'case_number',
    'case_type',
    'nomis_case_id',
    'nomis_hearing_id',
    'comments',
    'saved_to_nomis',
    'created_at',
    'updated_at',
  )
}

/** Court hearings by id; bigint ids come back as numbers. */
export async function loadCourtHearings(tx: Tx, ids: string[]): Promise<CourtHearingRow[]> {
  const rows = (await hearingsQuery(tx).whereIn('id', ids)) as CourtHearingRow[]
  return rows.map(row => ({
    ...row,
    nomis_case_id: row.nomis_case_id === null ? null : Number(row.nomis_case_id),
    nomis_hearing_id: row.nomis_hearing_id === null ? null : Number(row.nomis_hearing_id),
  }))
}

/**
 * Records a court hearing, of a move when one is named (a supplier's client names only a move it
 * supplies: 404 for one it cannot see, 403 for another supplier's). Then, unless told not to, every
 * hearing of the move not yet in the prisoner records is recorded there against the active booking
 * of the person the move carries, as the reference pushes a move's hearings to NOMIS; a person with
 * no prisoner record or no active booking leaves them unsaved (`saved_to_nomis` false).
 */
export async function createCourtHearing(
  w: Write,
  input: CourtHearingInput,
  client: Client,
  now: Date,
): Promise<CourtHearingRow> {
  const { tx } = w
  if (input.moveId) {
    const move = await tx('moves').where({ id: input.moveId }).first('id')
    if (!move) {
      throw new DomainError('not_found', `Couldn't find Move with 'id'=${input.moveId}`, {
        subject: relationship('move'),
      })
    }
    await authoriseWrite(tx, client, { resource: 'move', id: input.moveId })
  }
  const id = crypto.randomUUID()
  await tx('court_hearings').insert({
    id,
    move_id: input.moveId,
    start_time: new Date(input.start_time),
    case_start_date: input.case_start_date ?? null,
    case_number: input.case_number ?? null,
    case_type: input.case_type ?? null,
    nomis_case_id: input.nomis_case_id ?? null,
    comments: input.comments ?? null,
    created_at: now,
    updated_at: now,
  })
  if (input.moveId && input.saveToRecords) await recordMoveHearings(tx, input.moveId, now)
  const [row] = await loadCourtHearings(tx, [id])
  return row!
}

/** Records the move's unsaved hearings against its person's prisoner record, court and prison by agency id. */
async function recordMoveHearings(tx: Tx, moveId: string, now: Date): Promise<void> {
  const move = (await tx('moves as m')
    .join('profiles as p', 'p.id', 'm.profile_id')
    .join('people as pe', 'pe.id', 'p.person_id')
    .join('locations as f', 'f.id', 'm.from_location_id')
    .leftJoin('locations as t', 't.id', 'm.to_location_id')
    .where('m.id', moveId)
    .first('pe.prison_number', 'f.nomis_agency_id as from_agency', 't.nomis_agency_id as to_agency')) as
    { prison_number: string | null; from_agency: string | null; to_agency: string | null } | undefined
  if (!move?.prison_number) return
  const unsaved = await hearingsQuery(tx).where({ move_id: moveId, saved_to_nomis: false }).orderBy('start_time')
  for (const hearing of unsaved as CourtHearingRow[]) {
    const hearingId = await recordCourtHearing(tx, {
      nomsId: move.prison_number,
      startTime: hearing.start_time,
      legalCaseId: hearing.nomis_case_id === null ? null : Number(hearing.nomis_case_id),
      courtCode: move.to_agency,
      fromPrisonId: move.from_agency,
      comments: hearing.comments,
    })
    if (hearingId === null) return
    await tx('court_hearings')
      .where({ id: hearing.id })
      .update({ nomis_hearing_id: hearingId, saved_to_nomis: true, updated_at: now })
  }
}

import type { Tx } from '../../db/client'

/**
 * What our prisoner records hold about a prisoner's court business and appearance, read the way the
 * reference reads NOMIS for a person (issue #21): legal cases, scheduled court hearings, the photo.
 * Court hearings are written here when Book a Secure Move records one for a move, in place of the
 * reference's push to NOMIS.
 */

/** A court hearing to record against a prisoner; `courtCode` and `fromPrisonId` are agency ids. */
export type HearingRecord = {
  nomsId: string
  startTime: Date
  /** A legal case id of the prisoner (NOMIS's case id); ignored when it is not one of theirs. */
  legalCaseId: number | null
  courtCode: string | null
  fromPrisonId: string | null
  comments: string | null
}

/**
 * Records a scheduled court hearing on the prisoner's active booking. Answers the hearing's id in
 * the records (the reference's `nomis_hearing_id`), or null when the prisoner has no record or no
 * active booking: the hearing then stays Book a Secure Move's alone, as a failed push does.
 */
export async function recordCourtHearing(tx: Tx, hearing: HearingRecord): Promise<number | null> {
  const booking = (await tx('offender_bookings')
    .where({ noms_id: hearing.nomsId, active: true })
    .orderBy('start_date', 'desc')
    .first('id')) as { id: string | number } | undefined
  if (!booking) return null
  const legalCase =
    hearing.legalCaseId === null
      ? undefined
      : ((await tx('offender_legal_cases').where({ id: hearing.legalCaseId, booking_id: booking.id }).first('id')) as
          { id: string | number } | undefined)
  const [row] = (await tx('offender_court_hearings')
    .insert({
      booking_id: booking.id,
      legal_case_id: legalCase?.id ?? null,
      start_time: hearing.startTime,
      court_code: hearing.courtCode,
      from_prison_id: hearing.fromPrisonId,
      comments: hearing.comments,
    })
    .returning('id')) as { id: string | number }[]
  return Number(row!.id)
}

/** A legal case of one of the prisoner's bookings; `start_date` is YYYY-MM-DD. */
export type CourtCaseRecord = {
  id: number
  active: boolean
  start_date: string
  court_code: string
  case_type_desc: string
}

/** The prisoner's legal cases over all bookings, newest first; `active` keeps only those (or only the closed). */
export async function courtCasesOf(tx: Tx, nomsId: string, active?: boolean): Promise<CourtCaseRecord[]> {
  const query = tx('offender_legal_cases as c')
    .join('offender_bookings as b', 'b.id', 'c.booking_id')
    .where('b.noms_id', nomsId)
    .orderBy([
      { column: 'c.start_date', order: 'desc' },
      { column: 'c.id', order: 'desc' },
    ])
    .select('c.id', 'c.active', tx.raw('c.start_date::text as start_date'), 'c.court_code', 'c.case_type_desc')
  if (active !== undefined) query.where('c.active', active)
  const rows = (await query) as (CourtCaseRecord & { id: string | number })[]
  return rows.map(row => ({ ...row, id: Number(row.id) }))
}

/** A scheduled court appearance of the prisoner. */
export type ScheduledHearing = { id: number; start_time: Date; court_code: string | null }

/**
 * The prisoner's court hearings on the London dates `from` to `to` (YYYY-MM-DD, both inclusive),
 * over all bookings, earliest first.
 */
export async function hearingsOf(tx: Tx, nomsId: string, from: string, to: string): Promise<ScheduledHearing[]> {
  const rows = (await tx('offender_court_hearings as h')
    .join('offender_bookings as b', 'b.id', 'h.booking_id')
    .where('b.noms_id', nomsId)
    .whereRaw(`h.start_time >= (?::date)::timestamp at time zone 'Europe/London'`, [from])
    .whereRaw(`h.start_time < (?::date + 1)::timestamp at time zone 'Europe/London'`, [to])
    .orderBy([{ column: 'h.start_time' }, { column: 'h.id' }])
    .select('h.id', 'h.start_time', 'h.court_code')) as (ScheduledHearing & { id: string | number })[]
  return rows.map(row => ({ ...row, id: Number(row.id) }))
}

/** The prisoner's photo as the records hold it (base64 JPEG), or null for none. */
export async function imageOf(tx: Tx, nomsId: string): Promise<string | null> {
  const row = (await tx('offenders').where({ noms_id: nomsId }).first('image_base64')) as
    { image_base64: string | null } | undefined
  return row?.image_base64 ?? null
}

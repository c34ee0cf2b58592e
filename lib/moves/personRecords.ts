import type { Tx } from '../../db/client'
import { DomainError } from '../errors'
import { courtCasesOf, hearingsOf, imageOf, type CourtCaseRecord } from '../prisonerRecords/schedule'

/**
 * A person's look-ups in our prisoner records (issue #21), where the reference asks NOMIS: the
 * person's prison number names the record. A person unknown here is 404; a person without a record
 * has no cases, no timetable and no image.
 */

async function prisonNumberOf(tx: Tx, personId: string): Promise<string | null> {
  const person = (await tx('people').where({ id: personId }).first('prison_number')) as
    { prison_number: string | null } | undefined
  if (!person) throw new DomainError('not_found', `Couldn't find Person with 'id'=${personId}`)
  return person.prison_number
}

/** The person's photo as a data URL of its JPEG; 404 when the records hold none. */
export async function personImage(tx: Tx, personId: string): Promise<{ id: string; url: string }> {
  const prisonNumber = await prisonNumberOf(tx, personId)
  const image = prisonNumber ? await imageOf(tx, prisonNumber) : null
  if (!image) throw new DomainError('not_found', `Couldn't find an image for Person with 'id'=${personId}`)
  return { id: personId, url: `data:image/jpeg;base64,${image}` }
}

/** A court case with the location whose agency id is its court's, when there is one. */
export type CourtCaseRow = CourtCaseRecord & { location_id: string | null }

/** A timetable entry: what is scheduled, when, and where. */
export type TimetableRow = {
  id: string
  start_time: Date
  nomis_type: string
  reason: string
  location_id: string | null
}

async function locationsByAgency(tx: Tx, agencies: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(agencies.filter((a): a is string => a !== null))]
  if (!wanted.length) return new Map()
  const rows = (await tx('locations').whereIn('nomis_agency_id', wanted).select('id', 'nomis_agency_id')) as {
    id: string
    nomis_agency_id: string
  }[]
  return new Map(rows.map(r => [r.nomis_agency_id, r.id]))
}

/** The person's legal cases, newest first; `active` keeps the active or the closed ones. */
export async function personCourtCases(tx: Tx, personId: string, active?: boolean): Promise<CourtCaseRow[]> {
  const prisonNumber = await prisonNumberOf(tx, personId)
  if (!prisonNumber) return []
  const cases = await courtCasesOf(tx, prisonNumber, active)
  const locations = await locationsByAgency(
    tx,
    cases.map(c => c.court_code),
  )
  return cases.map(c => ({ ...c, location_id: locations.get(c.court_code) ?? null }))
}

/** The person's scheduled court hearings on the London dates `from` to `to` (inclusive), earliest first. */
export async function personTimetable(tx: Tx, personId: string, from: string, to: string): Promise<TimetableRow[]> {
  const prisonNumber = await prisonNumberOf(tx, personId)
  if (!prisonNumber) return []
  const hearings = await hearingsOf(tx, prisonNumber, from, to)
  const locations = await locationsByAgency(
    tx,
    hearings.map(h => h.court_code),
  )
  return hearings.map(h => ({
    id: `court-hearing-${h.id}`,
    start_time: h.start_time,
    nomis_type: 'CRT',
    reason: 'Court hearing',
    location_id: h.court_code === null ? null : (locations.get(h.court_code) ?? null),
  }))
}

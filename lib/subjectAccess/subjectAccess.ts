import type { Knex } from 'knex'
import type { Tx } from '../../db/client'

/**
 * Whom a subject access request is about, and for when: the people we hold with the prison number,
 * their profiles and the moves of those profiles (all of them, whatever their dates, so that a section
 * can find what hangs off them), and the London dates, both inclusive, that records must have been
 * created on (either may be absent).
 */
export type Subject = {
  personIds: string[]
  profileIds: string[]
  moveIds: string[]
  fromDate?: string
  toDate?: string
}

/** A record of a section, as the subject access service shows it: plain JSON, ISO 8601 times. */
export type SectionRecord = Record<string, unknown>

/**
 * One kind of data we hold about a person: its records for `subject`, oldest first. Sections are
 * independent of each other, so another kind (assessments, generic events) is one more entry in
 * SECTIONS.
 */
export type SectionLoader = (tx: Tx, subject: Subject) => Promise<SectionRecord[]>

/** Keeps the rows of `column` (a timestamp) created on the subject's London dates. */
function createdWithin(query: Knex.QueryBuilder, column: string, subject: Subject): Knex.QueryBuilder {
  if (subject.fromDate) {
    query.whereRaw(`?? >= (?::date)::timestamp at time zone 'Europe/London'`, [column, subject.fromDate])
  }
  if (subject.toDate) {
    query.whereRaw(`?? < (?::date + 1)::timestamp at time zone 'Europe/London'`, [column, subject.toDate])
  }
  return query
}

/** Timestamps as ISO 8601 strings, the rest as it came. */
const plain = (rows: Record<string, unknown>[]): SectionRecord[] =>
  rows.map(row => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])))

const people: SectionLoader = async (tx, subject) =>
  plain(
    await tx('people as pe')
      .leftJoin('genders as g', 'g.id', 'pe.gender_id')
      .leftJoin('ethnicities as et', 'et.id', 'pe.ethnicity_id')
      .whereIn('pe.id', subject.personIds)
      .orderBy([{ column: 'pe.created_at' }, { column: 'pe.id' }])
      .select(
        'pe.id',
        'pe.first_names',
        'pe.last_name',
        tx.raw('pe.date_of_birth::text as date_of_birth'),
        'g.title as gender',
        'pe.gender_additional_information',
        'et.title as ethnicity',
        'pe.prison_number',
        'pe.criminal_records_office',
        'pe.police_national_computer',
        'pe.created_at',
        'pe.updated_at',
      ),
  )

/** The rows of `table` (`name as alias`) whose `column` is one of `ids`, created on the subject's dates, oldest first. */
function sectionRows(tx: Tx, table: string, column: string, ids: string[], subject: Subject): Knex.QueryBuilder {
  const alias = table.split(' as ')[1]!
  return createdWithin(tx(table).whereIn(`${alias}.${column}`, ids), `${alias}.created_at`, subject).orderBy([
    { column: `${alias}.created_at` },
    { column: `${alias}.id` },
  ])
}

/** Adds the titles of the route's locations (`from_location`, `to_location`) of the rows aliased `alias`. */
const withRoute = (query: Knex.QueryBuilder, alias: string): Knex.QueryBuilder =>
  query
    .leftJoin('locations as fl', 'fl.id', `${alias}.from_location_id`)
    .leftJoin('locations as tl', 'tl.id', `${alias}.to_location_id`)
    .select('fl.title as from_location', 'tl.title as to_location')

const profiles: SectionLoader = async (tx, subject) =>
  plain(
    await sectionRows(tx, 'profiles as p', 'id', subject.profileIds, subject).select(
      'p.id',
      'p.person_id',
      'p.assessment_answers',
      'p.created_at',
      'p.updated_at',
    ),
  )

const moves: SectionLoader = async (tx, subject) =>
  plain(
    await withRoute(sectionRows(tx, 'moves as m', 'id', subject.moveIds, subject), 'm')
      .leftJoin('suppliers as s', 's.id', 'm.supplier_id')
      .select(
        'm.id',
        'm.reference',
        'm.profile_id',
        'm.move_type',
        'm.status',
        tx.raw('m.date::text as date'),
        tx.raw('m.date_from::text as date_from'),
        tx.raw('m.date_to::text as date_to'),
        'm.time_due',
        's.name as supplier',
        'm.additional_information',
        'm.cancellation_reason',
        'm.cancellation_reason_comment',
        'm.rejection_reason',
        'm.created_at',
        'm.updated_at',
      ),
  )

const journeys: SectionLoader = async (tx, subject) =>
  plain(
    await withRoute(sectionRows(tx, 'journeys as j', 'move_id', subject.moveIds, subject), 'j').select(
      'j.id',
      'j.move_id',
      'j.state',
      'j.billable',
      'j.vehicle',
      'j.client_timestamp',
      'j.created_at',
      'j.updated_at',
    ),
  )

/**
 * The event log (issue #14): the events of the subject's moves and those posted about the person, with
 * what they were about and their details, in the order they were recorded.
 */
const events: SectionLoader = async (tx, subject) =>
  plain(
    await createdWithin(
      tx('move_events as e').where(q =>
        q
          .whereIn('e.move_id', subject.moveIds)
          .orWhere(p => p.where('e.eventable_type', 'people').whereIn('e.eventable_id', subject.personIds)),
      ),
      'e.created_at',
      subject,
    )
      .orderBy([{ column: 'e.created_at' }, { column: 'e.id' }])
      .select(
        tx.raw('e.id::text as id'),
        'e.move_id',
        'e.eventable_type',
        'e.eventable_id',
        'e.event_type',
        'e.classification',
        'e.occurred_at',
        'e.recorded_at',
        'e.notes',
        'e.details',
        'e.created_by',
        'e.created_at',
      ),
  )

/**
 * The person escort records or youth risk assessments (`kind`) of the subject's profiles (issue #15),
 * each with its answers: question key, value, whether prefilled and who answered when.
 */
const assessmentsOf =
  (kind: 'person_escort_record' | 'youth_risk_assessment'): SectionLoader =>
  async (tx, subject) =>
    plain(
      await sectionRows(tx, 'assessments as a', 'profile_id', subject.profileIds, subject)
        .where('a.kind', kind)
        .join('frameworks as f', 'f.id', 'a.framework_id')
        .select(
          'a.id',
          'a.profile_id',
          'a.move_id',
          'f.version',
          'a.status',
          'a.handover_details',
          'a.handover_occurred_at',
          'a.completed_at',
          'a.confirmed_at',
          'a.amended_at',
          'a.created_at',
          'a.updated_at',
          tx.raw(
            `coalesce((select json_agg(json_build_object('question', q.key, 'section', r.section, 'value', r.value,
                 'responded', r.responded, 'prefilled', r.prefilled, 'responded_by', r.responded_by,
                 'responded_at', r.responded_at) order by q.position)
               from framework_responses r join framework_questions q on q.id = r.framework_question_id
               where r.assessment_id = a.id and r.responded), '[]'::json) as responses`,
          ),
        ),
    )

/** The court hearings of the subject's moves (issue #21). */
const courtHearings: SectionLoader = async (tx, subject) =>
  plain(await sectionRows(tx, 'court_hearings as h', 'move_id', subject.moveIds, subject).select('h.*'))

/** The documents' descriptions; their files stay behind GET /api/documents/{id}/file. */
const documents: SectionLoader = async (tx, subject) =>
  plain(
    await sectionRows(tx, 'documents as d', 'profile_id', subject.profileIds, subject).select(
      'd.id',
      'd.profile_id',
      'd.filename',
      'd.content_type',
      'd.filesize',
      'd.created_at',
    ),
  )

/** Every kind of data a subject access request answers, by the name it has in `content`. */
export const SECTIONS: Record<string, SectionLoader> = {
  people,
  profiles,
  moves,
  journeys,
  events,
  person_escort_records: assessmentsOf('person_escort_record'),
  youth_risk_assessments: assessmentsOf('youth_risk_assessment'),
  court_hearings: courtHearings,
  documents,
}

/**
 * Everything we hold about the people with prison number `prisonNumber` (canonical: upper case,
 * trimmed), section by section, or undefined when we hold no such person. Each section is read with
 * its own statement, one after the other.
 */
export async function subjectAccess(
  tx: Tx,
  prisonNumber: string,
  dates: { fromDate?: string; toDate?: string },
  sections: Record<string, SectionLoader> = SECTIONS,
): Promise<Record<string, SectionRecord[]> | undefined> {
  const personIds = ((await tx('people').where({ prison_number: prisonNumber }).select('id')) as { id: string }[]).map(
    row => row.id,
  )
  if (!personIds.length) return undefined
  const profileIds = ((await tx('profiles').whereIn('person_id', personIds).select('id')) as { id: string }[]).map(
    row => row.id,
  )
  const moveIds = ((await tx('moves').whereIn('profile_id', profileIds).select('id')) as { id: string }[]).map(
    row => row.id,
  )
  const subject: Subject = { personIds, profileIds, moveIds, ...dates }
  const content: Record<string, SectionRecord[]> = {}
  for (const [name, load] of Object.entries(sections)) content[name] = await load(tx, subject)
  return content
}

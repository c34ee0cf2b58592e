import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import { prepared, whereAnyValue } from '../../db/prepared'

/** Dates are selected as text: pg and PGlite would otherwise disagree (string vs Date). */
export type PersonRow = {
  id: string
  first_names: string
  last_name: string
  date_of_birth: string | null
  gender_id: string | null
  ethnicity_id: string | null
  gender_additional_information: string | null
  prison_number: string | null
  criminal_records_office: string | null
  police_national_computer: string | null
  profile_ids: string[]
  /** The answers of the person's latest profile: only version 1's people carry them, so a move list of version 2 leaves them out. */
  latest_assessment_answers?: AssessmentAnswer[] | null
}

export type AssessmentAnswer = {
  title: string
  comments: string | null
  created_at: string | null
  expires_at: string | null
  assessment_question_id: string
  category: string
  key: string
  nomis_alert_type: string | null
  nomis_alert_code: string | null
  nomis_alert_type_description: string | null
  nomis_alert_description: string | null
  imported_from_nomis: boolean
}

/** A profile; `document_ids` are its documents' (POST /api/documents), oldest first. */
export type ProfileRow = {
  id: string
  person_id: string
  assessment_answers: AssessmentAnswer[]
  document_ids: string[]
}

/**
 * The ids of the documents of the profile aliased `alias`, oldest first, as `as`. Lists of ids come as json
 * arrays, not Postgres arrays: node-postgres reads json with JSON.parse and an array character by character,
 * which cost a page of moves more bytes than its rows (issue #16).
 */
export function profileDocumentIds(tx: Tx, alias: string, as = 'document_ids') {
  return tx.raw(
    `coalesce((select json_agg(d.id order by d.created_at, d.id) from documents d where d.profile_id = ??), '[]') as ??`,
    [`${alias}.id`, as],
  )
}

export type AllocationRow = {
  id: string
  from_location_id: string
  to_location_id: string
  date: string
  moves_count: number
  estate: string | null
  estate_comment: string | null
  prisoner_category: string | null
  sentence_length: string | null
  sentence_length_comment: string | null
  complex_cases: unknown[]
  complete_in_full: boolean
  requested_by: string | null
  other_criteria: string | null
  status: string
  cancellation_reason: string | null
  cancellation_reason_comment: string | null
  created_at: Date
  updated_at: Date
  move_ids: string[]
  moves_total: number
  moves_filled: number
}

export type MoveRow = {
  id: string
  reference: string
  status: string
  move_type: string
  date: string | null
  date_from: string | null
  date_to: string | null
  time_due: Date | null
  from_location_id: string
  to_location_id: string | null
  supplier_id: string | null
  profile_id: string | null
  person_id: string | null
  allocation_id: string | null
  prison_transfer_reason_id: string | null
  original_move_id: string | null
  additional_information: string | null
  move_agreed: boolean | null
  move_agreed_by: string | null
  cancellation_reason: string | null
  cancellation_reason_comment: string | null
  rejection_reason: string | null
  is_lockout: boolean
  /** The move's court hearings, earliest first. */
  court_hearing_ids: string[]
  created_at: Date
  updated_at: Date
}

export type EventRow = {
  id: string
  move_id: string | null
  eventable_type: string
  eventable_id: string
  event_type: string
  classification: string
  occurred_at: Date
  recorded_at: Date
  notes: string | null
  details: Record<string, unknown>
  /** The X-Current-User of the request that posted it, else the posting client's name. */
  created_by: string | null
  supplier_id: string | null
  location_id: string | null
  from_location_id: string | null
  to_location_id: string | null
  court_location_id: string | null
  previous_move_id: string | null
}

export function eventsQuery(tx: Tx): Knex.QueryBuilder {
  return tx('move_events as e')
    .leftJoin('api_clients as ec', 'ec.id', 'e.api_client_id')
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
      tx.raw('coalesce(e.created_by, ec.name) as created_by'),
      'e.supplier_id',
      'e.location_id',
      'e.from_location_id',
      'e.to_location_id',
      'e.court_location_id',
      'e.previous_move_id',
    )
}

/** Events by id, oldest first: the loader of the timeline includes, prepared, the ids as one array whatever their number. */
export async function loadEvents(tx: Tx, ids: string[]): Promise<EventRow[]> {
  const numeric = ids.filter(id => /^[0-9]{1,18}$/.test(id))
  return whereAnyValue(prepared(eventsQuery(tx), 'fixed'), 'e.id', numeric).orderBy([
    { column: 'e.occurred_at' },
    { column: 'e.id' },
  ])
}

/**
 * A person's columns from the people row aliased `pe`, each named `prefix` + its PersonRow name; the
 * latest profile's answers (a subquery a row) only with `latestAnswers`.
 */
function personColumns(tx: Tx, prefix = '', latestAnswers = true) {
  const columns = [
    ...[
      'id',
      'first_names',
      'last_name',
      'gender_id',
      'ethnicity_id',
      'gender_additional_information',
      'prison_number',
      'criminal_records_office',
      'police_national_computer',
    ].map(column => `pe.${column} as ${prefix}${column}`),
    tx.raw(`pe.date_of_birth::text as ??`, [`${prefix}date_of_birth`]),
    tx.raw(
      `coalesce((select json_agg(pr.id order by pr.created_at, pr.id) from profiles pr where pr.person_id = pe.id), '[]') as ??`,
      [`${prefix}profile_ids`],
    ),
  ]
  if (!latestAnswers) return columns
  return [
    ...columns,
    tx.raw(
      `(select pr.assessment_answers from profiles pr where pr.person_id = pe.id order by pr.created_at desc, pr.id desc limit 1) as ??`,
      [`${prefix}latest_assessment_answers`],
    ),
  ]
}

export function peopleQuery(tx: Tx) {
  return tx('people as pe').select(personColumns(tx))
}

export async function loadPeople(tx: Tx, ids: string[]): Promise<PersonRow[]> {
  return peopleQuery(tx).whereIn('pe.id', ids)
}

export async function loadProfiles(tx: Tx, ids: string[]): Promise<ProfileRow[]> {
  return tx('profiles as p')
    .select('p.id', 'p.person_id', 'p.assessment_answers', profileDocumentIds(tx, 'p'))
    .whereIn('p.id', ids)
}

/** Allocations with their move ids and `meta.moves` counts, computed in the same query. */
export function allocationsQuery(tx: Tx) {
  return tx('allocations as a')
    .select(
      'a.id',
      'a.from_location_id',
      'a.to_location_id',
      tx.raw('a.date::text as date'),
      'a.moves_count',
      'a.estate',
      'a.estate_comment',
      'a.prisoner_category',
      'a.sentence_length',
      'a.sentence_length_comment',
      'a.complex_cases',
      'a.complete_in_full',
      'a.requested_by',
      'a.other_criteria',
      'a.status',
      'a.cancellation_reason',
      'a.cancellation_reason_comment',
      'a.created_at',
      'a.updated_at',
      tx.raw(`coalesce(mc.move_ids, '[]') as move_ids`),
      tx.raw('coalesce(mc.total, 0)::int as moves_total'),
      tx.raw('coalesce(mc.filled, 0)::int as moves_filled'),
    )
    .joinRaw(
      `left join lateral (
        select json_agg(m.id order by m.created_at, m.reference) as move_ids,
               count(*) filter (where m.status <> 'cancelled') as total,
               count(m.profile_id) filter (where m.status <> 'cancelled') as filled
        from moves m where m.allocation_id = a.id
      ) mc on true`,
    )
}

export async function loadAllocations(tx: Tx, ids: string[]): Promise<AllocationRow[]> {
  return allocationsQuery(tx).whereIn('a.id', ids)
}

/**
 * Related rows a move query may bring in its own statement instead of a query of their own: the move's
 * profile, and the person of that profile (who version 1 links the move to directly); `latestAnswers`
 * brings the person's latest profile's answers too, which only version 1's people show.
 */
export type MoveEmbeds = { profile?: boolean; person?: boolean; latestAnswers?: boolean }

/** A profile brought with its move, and with it the profile's person when that was asked for too. */
export type EmbeddedProfileRow = ProfileRow & { person?: PersonRow | null }

/** A move row with what MoveEmbeds brought: null when the move has none, absent when not asked for. */
export type EmbeddingMoveRow = MoveRow & { profile?: EmbeddedProfileRow | null; person?: PersonRow | null }

const PROFILE_PREFIX = 'embedded_profile__'
const PERSON_PREFIX = 'embedded_person__'

/**
 * A move's columns and those of what `embeds` brings, as one SQL select list, compiled once for each set
 * of embeds: knex would otherwise format its fifty-odd columns again for every page of every list.
 */
const moveColumns = new Map<string, Knex.Raw>()

function moveColumnList(tx: Tx, embeds: MoveEmbeds): Knex.Raw {
  const key = Object.entries(embeds)
    .filter(([, wanted]) => wanted)
    .map(([name]) => name)
    .sort()
    .join()
  let columns = moveColumns.get(key)
  if (!columns) {
    const compiled = tx.queryBuilder().select(moveSelect(tx, embeds)).toSQL()
    // The list names columns and aliases only: it takes no values, so it can be reused as it is.
    if (compiled.bindings.length) throw new Error('a move column takes a value: it cannot be compiled once')
    columns = tx.raw(compiled.sql.replace(/^select /, ''))
    moveColumns.set(key, columns)
  }
  return columns
}

export function movesQuery(tx: Tx, embeds: MoveEmbeds = {}): Knex.QueryBuilder {
  const query = tx('moves as m').leftJoin('profiles as mp', 'mp.id', 'm.profile_id').select(moveColumnList(tx, embeds))
  if (embeds.person) query.leftJoin('people as pe', 'pe.id', 'mp.person_id')
  return query
}

function moveSelect(tx: Tx, embeds: MoveEmbeds) {
  const columns: (string | Knex.Raw)[] = [
    'm.id',
    'm.reference',
    'm.status',
    'm.move_type',
    tx.raw('m.date::text as date'),
    tx.raw('m.date_from::text as date_from'),
    tx.raw('m.date_to::text as date_to'),
    'm.time_due',
    'm.from_location_id',
    'm.to_location_id',
    'm.supplier_id',
    'm.profile_id',
    'mp.person_id',
    'm.allocation_id',
    'm.prison_transfer_reason_id',
    'm.original_move_id',
    'm.additional_information',
    'm.move_agreed',
    'm.move_agreed_by',
    'm.cancellation_reason',
    'm.cancellation_reason_comment',
    'm.rejection_reason',
    'm.is_lockout',
    // In the move's own statement, so a page of moves costs no more statements for listing them.
    tx.raw(
      `coalesce((select json_agg(h.id order by h.start_time, h.id) from court_hearings h where h.move_id = m.id), '[]') as court_hearing_ids`,
    ),
    'm.created_at',
    'm.updated_at',
  ]
  if (embeds.profile) {
    columns.push(
      `mp.id as ${PROFILE_PREFIX}id`,
      `mp.assessment_answers as ${PROFILE_PREFIX}assessment_answers`,
      profileDocumentIds(tx, 'mp', `${PROFILE_PREFIX}document_ids`),
    )
  }
  if (embeds.person) columns.push(...personColumns(tx, PERSON_PREFIX, embeds.latestAnswers ?? false))
  return columns
}

/** Where each column of a row goes: 0 the move, 1 its profile, 2 its person; and the name it takes there. */
type ColumnPlan = { key: string; to: 0 | 1 | 2; name: string }[]

function columnPlan(row: Record<string, unknown>, omit: string[]): ColumnPlan {
  return Object.keys(row)
    .filter(key => !omit.includes(key))
    .map(key =>
      key.startsWith(PROFILE_PREFIX)
        ? { key, to: 1, name: key.slice(PROFILE_PREFIX.length) }
        : key.startsWith(PERSON_PREFIX)
          ? { key, to: 2, name: key.slice(PERSON_PREFIX.length) }
          : { key, to: 0, name: key },
    )
}

/**
 * Moves as movesQuery(tx, embeds) selected them, with the embedded rows as their own objects. Each row is
 * read once into new objects: deleting the prefixed keys off it would make every row a slow dictionary.
 * Every row of one statement has the same columns, so where each goes is worked out once, from the first.
 * Columns named in `omit` (a statement's own, such as a total beside every row) are left out.
 */
export function withEmbedded(
  rows: Record<string, unknown>[],
  embeds: MoveEmbeds,
  omit: string[] = [],
): EmbeddingMoveRow[] {
  if (!embeds.profile && !embeds.person && !omit.length) return rows as EmbeddingMoveRow[]
  if (!rows.length) return []
  const plan = columnPlan(rows[0]!, omit)
  return rows.map(raw => {
    const parts: [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>] = [{}, {}, {}]
    for (const { key, to, name } of plan) parts[to][name] = raw[key]
    const [move, profile, person] = parts
    const row = move as EmbeddingMoveRow
    const personRow = embeds.person && person.id != null ? (person as PersonRow) : null
    if (embeds.profile) {
      if (profile.id != null) profile.person_id = row.person_id
      row.profile = profile.id == null ? null : (profile as EmbeddedProfileRow)
      if (row.profile && embeds.person) row.profile.person = personRow
    }
    if (embeds.person) row.person = personRow
    return row
  })
}

/** parent id -> its related ids, in the order the rows came. */
export function groupIds(rows: { parent_id: string; id: string }[]): Map<string, string[]> {
  const byParent = new Map<string, string[]>()
  for (const { parent_id, id } of rows) {
    const ids = byParent.get(parent_id)
    if (ids) ids.push(id)
    else byParent.set(parent_id, [id])
  }
  return byParent
}

export async function loadMoves(tx: Tx, ids: string[]): Promise<MoveRow[]> {
  return movesQuery(tx).whereIn('m.id', ids)
}

/**
 * What a supplier's token may see: moves it supplies, from or to a location it serves, or with a
 * planned or current overnight stay at one (it may be asked to collect the person from there). A
 * token with no supplier (the frontend) sees everything.
 */
export function scopeToSupplier(query: Knex.QueryBuilder, supplierId: string | null): Knex.QueryBuilder {
  if (!supplierId) return query
  // The supplier's locations as uncorrelated subqueries, which PostgreSQL hashes once a statement: a
  // correlated lookup of both ends scanned locations_suppliers again for every move in the range.
  const served = (q: Knex.QueryBuilder) =>
    q.select('sls.location_id').from('locations_suppliers as sls').where('sls.supplier_id', supplierId)
  return query.where(q =>
    q
      .where('m.supplier_id', supplierId)
      .orWhereIn('m.from_location_id', function (this: Knex.QueryBuilder) {
        served(this)
      })
      .orWhereIn('m.to_location_id', function (this: Knex.QueryBuilder) {
        served(this)
      })
      .orWhereExists(function (this: Knex.QueryBuilder) {
        this.select(1)
          .from('lodgings as sll')
          .join('locations_suppliers as slls', 'slls.location_id', 'sll.location_id')
          .where('slls.supplier_id', supplierId)
          .whereRaw('sll.move_id = m.id')
          .whereNot('sll.status', 'cancelled')
      }),
  )
}

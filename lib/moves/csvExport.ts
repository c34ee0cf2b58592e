import type { Tx } from '../../db/client'
import { moveKeysAfter, type MoveFilter, type MoveKey } from './moves'
import type { AssessmentAnswer } from './rows'

/**
 * The assessment questions the export gives two columns each (answered TRUE/FALSE, then the answers'
 * comments), by key, with the reference's headings.
 */
const ANSWER_COLUMNS: [key: string, heading: string][] = [
  ['violent', 'Violent'],
  ['escape', 'Escape'],
  ['hold_separately', 'Must be held separately'],
  ['self_harm', 'Self harm'],
  ['concealed_items', 'Concealed items'],
  ['other_risks', 'Any other risks'],
  ['special_diet_or_allergy', 'Special diet or allergy'],
  ['health_issue', 'Health issue'],
  ['medication', 'Medication'],
  ['wheelchair', 'Wheelchair user'],
  ['pregnant', 'Pregnant'],
  ['other_health', 'Any other requirements'],
  ['solicitor', 'Solicitor or other legal representation'],
  ['interpreter', 'Sign or other language interpreter'],
  ['other_court', 'Any other information'],
  ['not_to_be_released', 'Not to be released'],
  ['special_vehicle', 'Requires special vehicle'],
]

/** The export's header row: the move, the person, the answers, documents, then cancellation, rejection and supplier. */
export const CSV_HEADINGS = [
  'Status',
  'Reference',
  'Move type',
  'Created at',
  'Last updated',
  'From location name',
  'From location code',
  'To location name',
  'To location code',
  'Additional information',
  'Date of travel',
  'PNC number',
  'Prison number',
  'Last name',
  'First name(s)',
  'Date of birth',
  'Gender',
  'Ethnicity',
  'Ethnicity code',
  ...ANSWER_COLUMNS.flatMap(([, heading]) => [heading, `${heading} details`]),
  'Uploaded documents',
  'Cancellation reason',
  'Cancellation comment',
  'Rejection reason',
  'Supplier',
]

/** How many moves one page of the export reads: one short statement for the keys, one for their rows. */
export const CSV_PAGE_SIZE = 1000

/**
 * A cell a spreadsheet would run as a formula (OWASP, "CSV injection"): one beginning with a tab or carriage
 * return, or whose first character after any white space (spaces, line breaks) is `=`, `+`, `-` or `@`, as
 * spreadsheets trim leading white space on import.
 */
const FORMULA_START = /^[\t\r]|^\s*[=+\-@]/

/**
 * One field of RFC 4180: quoted when it holds a comma, quote or line break, its quotes doubled. A text
 * that a spreadsheet would take for a formula gets a leading apostrophe, so that opening the export
 * runs nothing a client typed into a move.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A CSV record, CRLF-terminated as RFC 4180 has it. */
export const csvLine = (values: (string | number | null | undefined)[]): string =>
  `${values.map(csvField).join(',')}\r\n`

type ExportRow = {
  id: string
  status: string
  reference: string
  move_type: string
  created_at: Date
  updated_at: Date
  from_title: string | null
  from_code: string | null
  to_title: string | null
  to_code: string | null
  additional_information: string | null
  date: string | null
  police_national_computer: string | null
  prison_number: string | null
  last_name: string | null
  first_names: string | null
  date_of_birth: string | null
  gender: string | null
  ethnicity: string | null
  ethnicity_key: string | null
  assessment_answers: AssessmentAnswer[] | null
  documents: number
  cancellation_reason: string | null
  cancellation_reason_comment: string | null
  rejection_reason: string | null
  supplier: string | null
}

/** The rows of these moves, in creation order: one statement, the profile's documents counted in it. */
async function exportRows(tx: Tx, ids: string[]): Promise<ExportRow[]> {
  return tx('moves as m')
    .leftJoin('locations as fl', 'fl.id', 'm.from_location_id')
    .leftJoin('locations as tl', 'tl.id', 'm.to_location_id')
    .leftJoin('profiles as mp', 'mp.id', 'm.profile_id')
    .leftJoin('people as pe', 'pe.id', 'mp.person_id')
    .leftJoin('genders as g', 'g.id', 'pe.gender_id')
    .leftJoin('ethnicities as et', 'et.id', 'pe.ethnicity_id')
    .leftJoin('suppliers as s', 's.id', 'm.supplier_id')
    .whereIn('m.id', ids)
    .orderBy([{ column: 'm.created_at' }, { column: 'm.id' }])
    .select(
      'm.id',
      'm.status',
      'm.reference',
      'm.move_type',
      'm.created_at',
      'm.updated_at',
      'fl.title as from_title',
      'fl.nomis_agency_id as from_code',
      'tl.title as to_title',
      'tl.nomis_agency_id as to_code',
      'm.additional_information',
      tx.raw('m.date::text as date'),
      'pe.police_national_computer',
      'pe.prison_number',
      'pe.last_name',
      'pe.first_names',
      tx.raw('pe.date_of_birth::text as date_of_birth'),
      'g.title as gender',
      'et.title as ethnicity',
      'et.key as ethnicity_key',
      'mp.assessment_answers',
      tx.raw('(select count(*) from documents d where d.profile_id = m.profile_id)::int as documents'),
      'm.cancellation_reason',
      'm.cancellation_reason_comment',
      'm.rejection_reason',
      's.name as supplier',
    )
}

/** Whether any answer is to `key`, and their comments (with the alert's description when imported from one). */
function answerCells(answers: AssessmentAnswer[], key: string): [string, string] {
  const comments = answers
    .filter(a => a.key === key)
    .map(a => (a.nomis_alert_description ? `${a.nomis_alert_description}: ${a.comments ?? ''}` : (a.comments ?? '')))
  return [comments.length ? 'true' : 'false', comments.join('\n\n')]
}

function csvRecord(row: ExportRow): string {
  const answers = row.assessment_answers ?? []
  return csvLine([
    row.status,
    row.reference,
    row.move_type,
    row.created_at.toISOString(),
    row.updated_at.toISOString(),
    row.from_title,
    row.from_code,
    row.to_title,
    row.to_code,
    row.additional_information,
    row.date,
    row.police_national_computer,
    row.prison_number,
    row.last_name,
    row.first_names,
    row.date_of_birth,
    row.gender,
    row.ethnicity,
    row.ethnicity_key,
    ...ANSWER_COLUMNS.flatMap(([key]) => answerCells(answers, key)),
    row.documents,
    row.cancellation_reason,
    row.cancellation_reason_comment,
    row.rejection_reason,
    row.supplier,
  ])
}

/**
 * The CSV export of the moves the client may see that match `filter` (the moves list's finder,
 * lib/moves/moves), oldest created first: the header row, then one chunk of text per page of
 * CSV_PAGE_SIZE moves. Pages are read one after the other by keyset (moveKeysAfter), each in short
 * statements on `db` (no transaction), so the caller can send each chunk before the next is read and
 * neither memory nor a connection is held for the whole of a large export.
 */
export async function* movesCsv(
  db: Tx,
  filter: MoveFilter,
  supplierId: string | null,
  pageSize = CSV_PAGE_SIZE,
): AsyncGenerator<string> {
  yield csvLine(CSV_HEADINGS)
  let after: MoveKey | undefined
  for (;;) {
    const keys = await moveKeysAfter(db, filter, supplierId, after, pageSize)
    if (!keys.length) return
    const rows = await exportRows(
      db,
      keys.map(k => k.id),
    )
    yield rows.map(csvRecord).join('')
    if (keys.length < pageSize) return
    after = keys[keys.length - 1]
  }
}

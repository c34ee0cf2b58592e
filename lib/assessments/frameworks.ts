import type { Tx } from '../../db/client'

/**
 * Assessment frameworks as stored (issue #15; reference §2.2): the versioned question sets a person
 * escort record or youth risk assessment is built from. This module is the read side the assessments
 * use: types and loaders. The rows are written only by the start-up loader
 * (./frameworkLoader.ts) from the files under `frameworks/`, and never changed after.
 */

export const FRAMEWORK_NAMES = ['person-escort-record', 'youth-risk-assessment'] as const
export type FrameworkName = (typeof FRAMEWORK_NAMES)[number]

export const QUESTION_TYPES = ['radio', 'checkbox', 'text', 'textarea', 'add_multiple_items'] as const
export type QuestionType = (typeof QUESTION_TYPES)[number]

/** Flag severities, least to most serious. */
export const FLAG_TYPES = ['information', 'attention', 'warning', 'alert'] as const
export type FlagType = (typeof FLAG_TYPES)[number]

export const NOMIS_CODE_TYPES = [
  'alert',
  'assessment',
  'contact',
  'personal_care_need',
  'reasonable_adjustment',
] as const
export type NomisCodeType = (typeof NOMIS_CODE_TYPES)[number]

/** A flag a response raises when its question has `question_value` selected. */
export type FrameworkFlag = {
  id: string
  framework_question_id: string
  flag_type: FlagType
  title: string
  question_value: string
}

/**
 * A NOMIS code that prefills a question: a NOMIS fact of `code_type` with `code` maps to it. A
 * fallback (code null) takes the facts of its type that no question of the framework names.
 */
export type FrameworkNomisCode = {
  id: string
  framework_question_id: string
  code_type: NomisCodeType
  code: string | null
  fallback: boolean
}

/**
 * One question of one framework version.
 * - `parent_id`/`dependent_value`: a dependent question is shown when its parent has
 *   `dependent_value` selected (radio: the value; checkbox: among the values). The children of an
 *   `add_multiple_items` question have the parent and no `dependent_value`: they are answered
 *   inside each item of the parent's value, not as responses of their own.
 * - `followup_comment`: the value carries `{ option, details }` per selected option;
 *   `details` is mandatory for the options in `followup_comment_options`.
 * - `required` decides only whether a blank value is accepted; completion asks every shown
 *   response to be answered whatever its question's `required` (reference §0.6).
 * - `position`: the order in the framework (sections in order, each parent before its dependents).
 * - `dependent_ids`: the questions whose `parent_id` is this one, in order.
 */
export type FrameworkQuestion = {
  id: string
  framework_id: string
  key: string
  section: string
  question_type: QuestionType
  options: string[]
  required: boolean
  prefill: boolean
  parent_id: string | null
  dependent_value: string | null
  followup_comment: boolean
  followup_comment_options: string[]
  position: number
  dependent_ids: string[]
  flag_ids: string[]
}

/** A framework version as its row: no questions. */
export type FrameworkRow = { id: string; name: FrameworkName; version: string; question_ids: string[] }

/**
 * A framework version with everything the assessments need: its sections in order, its questions
 * in order (dependents included), and the flags and NOMIS codes of each.
 */
export type Framework = {
  id: string
  name: FrameworkName
  version: string
  sections: string[]
  questions: FrameworkQuestion[]
  flags: FrameworkFlag[]
  nomisCodes: FrameworkNomisCode[]
}

/** The question's flags, in the framework's order. */
export function flagsOf(framework: Framework, questionId: string): FrameworkFlag[] {
  return framework.flags.filter(flag => flag.framework_question_id === questionId)
}

/** The questions whose `parent_id` is `questionId` (null: the top-level questions), in order. */
export function dependentsOf(framework: Framework, questionId: string | null): FrameworkQuestion[] {
  return framework.questions.filter(q => q.parent_id === questionId)
}

/** The questions that get a response row of their own: all but the children of `add_multiple_items` ones. */
export function respondableQuestions(framework: Framework): FrameworkQuestion[] {
  const byId = new Map(framework.questions.map(q => [q.id, q]))
  return framework.questions.filter(q => !q.parent_id || byId.get(q.parent_id)!.question_type !== 'add_multiple_items')
}

/** Semantic versions compared as numbers, so that 1.10.0 follows 1.9.0. */
const VERSION_ORDER = `string_to_array(version, '.')::int[]`

function frameworksQuery(tx: Tx) {
  return tx('frameworks as f').select(
    'f.id',
    'f.name',
    'f.version',
    tx.raw(
      `coalesce((select array_agg(q.id order by q.position) from framework_questions q where q.framework_id = f.id), '{}') as question_ids`,
    ),
  )
}

function questionsQuery(tx: Tx) {
  return tx('framework_questions as q')
    .select(
      'q.id',
      'q.framework_id',
      'q.key',
      'q.section',
      'q.question_type',
      'q.options',
      'q.required',
      'q.prefill',
      'q.parent_id',
      'q.dependent_value',
      'q.followup_comment',
      'q.followup_comment_options',
      'q.position',
      tx.raw(
        `coalesce((select array_agg(d.id order by d.position) from framework_questions d where d.parent_id = q.id), '{}') as dependent_ids`,
      ),
      tx.raw(
        `coalesce((select array_agg(fl.id order by fl.id) from framework_flags fl where fl.framework_question_id = q.id), '{}') as flag_ids`,
      ),
    )
    .orderBy('q.position')
}

/** Framework versions, newest first within each name (the reference lists by version descending). */
export async function listFrameworks(
  tx: Tx,
  page: { number: number; size: number },
): Promise<{ rows: FrameworkRow[]; total: number }> {
  const [rows, [{ total }]] = await Promise.all([
    frameworksQuery(tx)
      .orderByRaw(`${VERSION_ORDER} desc, name`)
      .limit(page.size)
      .offset((page.number - 1) * page.size),
    tx('frameworks').count<{ total: number }[]>({ total: '*' }),
  ])
  return { rows, total: Number(total) }
}

/** Framework version rows by id, in one statement. */
export async function loadFrameworkRows(tx: Tx, ids: string[]): Promise<FrameworkRow[]> {
  return frameworksQuery(tx).whereIn('f.id', ids)
}

/** Questions by id, each with its dependents' and flags' ids, in one statement. */
export async function loadQuestions(tx: Tx, ids: string[]): Promise<FrameworkQuestion[]> {
  return questionsQuery(tx).whereIn('q.id', ids)
}

/** Flags by id, in one statement. */
export async function loadFlags(tx: Tx, ids: string[]): Promise<FrameworkFlag[]> {
  return tx('framework_flags').select('*').whereIn('id', ids).orderBy('id')
}

/**
 * The framework `name` at `version`, or at its newest version when `version` is omitted; undefined
 * when there is no such version. Four statements whatever the framework's size.
 */
export async function loadFramework(tx: Tx, name: string, version?: string): Promise<Framework | undefined> {
  const row = await tx('frameworks')
    .select('id')
    .where({ name, ...(version !== undefined ? { version } : {}) })
    .orderByRaw(`${VERSION_ORDER} desc`)
    .first()
  return row ? loadFrameworkById(tx, row.id as string) : undefined
}

/** The framework version with `id`, or undefined. See {@link loadFramework}. */
export async function loadFrameworkById(tx: Tx, id: string): Promise<Framework | undefined> {
  const row = await tx('frameworks').select('id', 'name', 'version').where({ id }).first()
  if (!row) return undefined
  const [questions, flags, nomisCodes] = await Promise.all([
    questionsQuery(tx).where('q.framework_id', id),
    tx('framework_flags as fl')
      .join('framework_questions as q', 'q.id', 'fl.framework_question_id')
      .where('q.framework_id', id)
      .select('fl.*')
      .orderBy(['q.position', 'fl.id']),
    tx('framework_nomis_codes as c')
      .join('framework_questions as q', 'q.id', 'c.framework_question_id')
      .where('q.framework_id', id)
      .select('c.*')
      .orderBy(['q.position', 'c.code_type', 'c.code']),
  ])
  const sections = [...new Set((questions as FrameworkQuestion[]).map(q => q.section))]
  return { id: row.id, name: row.name, version: row.version, sections, questions, flags, nomisCodes }
}

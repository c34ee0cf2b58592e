import type { Tx } from '../../db/client'
import { groupIds } from '../moves/rows'
import type { AssessmentStatus } from '../../machines/assessment'
import type { SectionProgress } from './progress'
import { scopeAssessments, type AssessmentKind } from './scope'


/** How one NOMIS resource was imported for an assessment. */
export type NomisSyncStatus = {
  resource_type: 'alerts' | 'assessments' | 'contacts' | 'personal_care_needs' | 'reasonable_adjustments'
  status: 'success' | 'failed'
  synced_at: string
  message: string | null
}

/**
 * An assessment as it is answered: its row, its framework's version, its move's status (for
 * `editable`), and the ids of its responses and of the flags they raise.
 */
export type AssessmentRow = {
  id: string
  kind: AssessmentKind
  framework_id: string
  version: string
  profile_id: string
  move_id: string | null
  move_status: string | null
  prefill_source_id: string | null
  status: AssessmentStatus
  section_progress: SectionProgress[]
  nomis_sync_status: NomisSyncStatus[]
  handover_details: Record<string, unknown>
  handover_occurred_at: Date | null
  completed_at: Date | null
  confirmed_at: Date | null
  amended_at: Date | null
  created_at: Date
  updated_at: Date
  response_ids: string[]
  flag_ids: string[]
}

/** A response as it is answered, with the ids of the flags it raises and the NOMIS facts that prefilled it. */
export type ResponseRow = {
  id: string
  assessment_id: string
  assessment_kind: AssessmentKind
  framework_question_id: string
  section: string
  value: unknown
  value_type: string
  responded: boolean
  prefilled: boolean
  responded_by: string | null
  responded_at: Date | null
  flag_ids: string[]
  nomis_mapping_ids: string[]
}

/** A NOMIS fact imported for an assessment; dates as text (YYYY-MM-DD). */
export type NomisMappingRow = {
  id: string
  code: string
  code_type: string
  code_description: string | null
  comments: string | null
  start_date: string | null
  end_date: string | null
  creation_date: string | null
  expiry_date: string | null
  approval_date: string | null
  next_review_date: string | null
}

/** Assessments with everything AssessmentRow carries, in one statement. */
export function assessmentsQuery(tx: Tx) {
  return tx('assessments as a')
    .join('frameworks as f', 'f.id', 'a.framework_id')
    .leftJoin('moves as m', 'm.id', 'a.move_id')
    .select(
      'a.*',
      'f.version',
      'm.status as move_status',
      tx.raw(
        `coalesce((select array_agg(r.id order by q.position) from framework_responses r
           join framework_questions q on q.id = r.framework_question_id where r.assessment_id = a.id), '{}') as response_ids`,
      ),
      tx.raw(
        `coalesce((select array_agg(distinct rf.framework_flag_id) from framework_response_flags rf
           join framework_responses r on r.id = rf.framework_response_id where r.assessment_id = a.id), '{}') as flag_ids`,
      ),
    )
}

export async function loadAssessments(tx: Tx, ids: string[]): Promise<AssessmentRow[]> {
  return assessmentsQuery(tx).whereIn('a.id', ids)
}

/**
 * Each profile's assessment of `kind` (at most one), for the profiles' relationship, as `supplierId`
 * sees it (./scope.ts: a supplier, only those of the moves it supplies; null, every one).
 */
export async function assessmentIdsByProfile(
  tx: Tx,
  profileIds: string[],
  kind: AssessmentKind,
  supplierId: string | null,
): Promise<Map<string, string[]>> {
  return groupIds(
    await scopeAssessments(tx('assessments as a'), supplierId)
      .whereIn('a.profile_id', profileIds)
      .where({ 'a.kind': kind })
      .select('a.profile_id as parent_id', 'a.id'),
  )
}

export function responsesQuery(tx: Tx) {
  return tx('framework_responses as r')
    .join('assessments as a', 'a.id', 'r.assessment_id')
    .join('framework_questions as q', 'q.id', 'r.framework_question_id')
    .select(
      'r.id',
      'r.assessment_id',
      'a.kind as assessment_kind',
      'r.framework_question_id',
      'r.section',
      'r.value',
      'r.value_type',
      'r.responded',
      'r.prefilled',
      'r.responded_by',
      'r.responded_at',
      tx.raw(
        `coalesce((select array_agg(rf.framework_flag_id order by rf.framework_flag_id) from framework_response_flags rf
           where rf.framework_response_id = r.id), '{}') as flag_ids`,
      ),
      tx.raw(
        `coalesce((select array_agg(rm.framework_nomis_mapping_id order by rm.framework_nomis_mapping_id)
           from framework_response_nomis_mappings rm where rm.framework_response_id = r.id), '{}') as nomis_mapping_ids`,
      ),
    )
    .orderBy('q.position')
}

export async function loadResponses(tx: Tx, ids: string[]): Promise<ResponseRow[]> {
  return responsesQuery(tx).whereIn('r.id', ids)
}

export async function loadNomisMappings(tx: Tx, ids: string[]): Promise<NomisMappingRow[]> {
  const date = (column: string) => tx.raw(`${column}::text as ${column}`)
  return tx('framework_nomis_mappings')
    .whereIn('id', ids)
    .select(
      'id',
      'code',
      'code_type',
      'code_description',
      'comments',
      ...['start_date', 'end_date', 'creation_date', 'expiry_date', 'approval_date', 'next_review_date'].map(date),
    )
}

import { loadFlags, loadFrameworkRows, loadQuestions } from '../../lib/assessments/frameworks'
import {
  loadAssessments,
  loadNomisMappings,
  loadResponses,
  type AssessmentRow,
  type NomisMappingRow,
  type ResponseRow,
} from '../../lib/assessments/rows'
import type { AssessmentKind } from '../../lib/assessments/scope'
import { loadMoves, loadProfiles } from '../../lib/moves/rows'
import type { RelationshipDef, ResourceDef } from '../jsonapi/document'

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null)

/** The move statuses in which an assessment may still be edited, as the reference reports `editable` (not enforced). */
const EDITABLE_MOVE_STATUSES = ['requested', 'booked']

/**
 * An assessment of one kind (reference §2.7): a person escort record also carries its amendment and
 * handover. Section progress is in meta, as the reference has it; responses and flags appear only
 * when included.
 */
function assessmentResource(kind: AssessmentKind, type: string): ResourceDef<AssessmentRow> {
  const relationships: Record<string, RelationshipDef<AssessmentRow>> = {
    profile: { type: 'profiles', ids: row => row.profile_id, load: loadProfiles },
    move: { type: 'moves', ids: row => row.move_id, load: loadMoves },
    framework: { type: 'frameworks', ids: row => row.framework_id, load: loadFrameworkRows },
    prefill_source: { type, ids: row => row.prefill_source_id, load: loadAssessments },
    responses: {
      type: 'framework_responses',
      many: true,
      onlyWhenIncluded: true,
      ids: row => row.response_ids,
      load: loadResponses,
    },
    flags: { type: 'framework_flags', many: true, onlyWhenIncluded: true, ids: row => row.flag_ids, load: loadFlags },
  }
  return {
    type,
    attributes: row => ({
      version: row.version,
      status: row.status,
      editable: row.status !== 'confirmed' && EDITABLE_MOVE_STATUSES.includes(row.move_status ?? ''),
      completed_at: iso(row.completed_at),
      confirmed_at: iso(row.confirmed_at),
      ...(kind === 'person_escort_record'
        ? {
            amended_at: iso(row.amended_at),
            handover_details: row.handover_details,
            handover_occurred_at: iso(row.handover_occurred_at),
          }
        : {}),
      nomis_sync_status: row.nomis_sync_status,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    }),
    relationships,
    meta: row => ({ section_progress: row.section_progress }),
  }
}

export const personEscortRecordResource = assessmentResource('person_escort_record', 'person_escort_records')
export const youthRiskAssessmentResource = assessmentResource('youth_risk_assessment', 'youth_risk_assessments')

/**
 * One answer of an assessment. The reference links a polymorphic `assessment`; a relationship here has
 * one type, so the assessment is linked by its kind's name (`person_escort_record` or
 * `youth_risk_assessment`), the other being null.
 */
export const frameworkResponseResource: ResourceDef<ResponseRow> = {
  type: 'framework_responses',
  attributes: row => ({
    value: row.value,
    value_type: row.value_type,
    responded: row.responded,
    prefilled: row.prefilled,
    responded_by: row.responded_by,
    responded_at: iso(row.responded_at),
  }),
  relationships: {
    person_escort_record: {
      type: 'person_escort_records',
      ids: row => (row.assessment_kind === 'person_escort_record' ? row.assessment_id : null),
      load: loadAssessments,
    },
    youth_risk_assessment: {
      type: 'youth_risk_assessments',
      ids: row => (row.assessment_kind === 'youth_risk_assessment' ? row.assessment_id : null),
      load: loadAssessments,
    },
    question: { type: 'framework_questions', ids: row => row.framework_question_id, load: loadQuestions },
    flags: { type: 'framework_flags', many: true, onlyWhenIncluded: true, ids: row => row.flag_ids, load: loadFlags },
    nomis_mappings: {
      type: 'framework_nomis_mappings',
      many: true,
      onlyWhenIncluded: true,
      ids: row => row.nomis_mapping_ids,
      load: loadNomisMappings,
    },
  },
}

export const frameworkNomisMappingResource: ResourceDef<NomisMappingRow> = {
  type: 'framework_nomis_mappings',
  attributes: row => ({
    code: row.code,
    code_type: row.code_type,
    code_description: row.code_description,
    comments: row.comments,
    start_date: row.start_date,
    end_date: row.end_date,
    creation_date: row.creation_date,
    expiry_date: row.expiry_date,
    approval_date: row.approval_date,
    next_review_date: row.next_review_date,
  }),
}

/** Every resource type the assessments serve, by type. */
export const assessmentResources = {
  person_escort_records: personEscortRecordResource,
  youth_risk_assessments: youthRiskAssessmentResource,
  framework_responses: frameworkResponseResource,
  framework_nomis_mappings: frameworkNomisMappingResource,
}

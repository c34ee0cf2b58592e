import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import type { FrameworkName } from './frameworks'

/** The two kinds of assessment, as the `assessments.kind` column stores them. */
export const ASSESSMENT_KINDS = ['person_escort_record', 'youth_risk_assessment'] as const
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number]

/** Each kind's JSON:API type (and eventable type). */
export const ASSESSMENT_TYPES = {
  person_escort_record: 'person_escort_records',
  youth_risk_assessment: 'youth_risk_assessments',
} as const satisfies Record<AssessmentKind, string>
export type AssessmentType = (typeof ASSESSMENT_TYPES)[AssessmentKind]

/** The framework each kind is built from. */
export const ASSESSMENT_FRAMEWORKS: Record<AssessmentKind, FrameworkName> = {
  person_escort_record: 'person-escort-record',
  youth_risk_assessment: 'youth-risk-assessment',
}

/** What an error calls each thing an assessment write may name. */
export const ASSESSMENT_LABELS = {
  person_escort_record: 'PersonEscortRecord',
  youth_risk_assessment: 'YouthRiskAssessment',
  framework_response: 'FrameworkResponse',
} as const

/**
 * Who sees an assessment: the frontend (no supplier) every one; a supplier those of the moves it
 * supplies, and no others, not even those of moves it sees through its locations (the assessment is
 * for the escort that moves the person). `query` reads `assessments as a`.
 */
export function scopeAssessments(query: Knex.QueryBuilder, supplierId: string | null): Knex.QueryBuilder {
  if (!supplierId) return query
  return query.whereExists(function (this: Knex.QueryBuilder) {
    this.select(1).from('moves as am').whereRaw('am.id = a.move_id').where('am.supplier_id', supplierId)
  })
}

/**
 * Whether the supplier sees assessment `id` of `kind` (null: `id` is a framework response, and its
 * assessment is meant). False for one that does not exist.
 */
export async function assessmentInScope(
  tx: Tx,
  supplierId: string | null,
  id: string,
  kind: AssessmentKind | null,
): Promise<boolean> {
  const query = kind
    ? tx('assessments as a').where({ 'a.id': id, 'a.kind': kind })
    : tx('framework_responses as r').join('assessments as a', 'a.id', 'r.assessment_id').where('r.id', id)
  return (await scopeAssessments(query, supplierId).first('a.id')) !== undefined
}

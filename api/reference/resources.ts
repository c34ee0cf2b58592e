import {
  loadFlags,
  loadFrameworkRows,
  loadQuestions,
  type FrameworkFlag,
  type FrameworkQuestion,
  type FrameworkRow,
} from '../../lib/assessments/frameworks'
import { valueType } from '../../lib/assessments/responseValues'
import type { LocationRow, ReferenceList, ReferenceRow, SupplierRow } from '../../lib/reference/rows'
import { loadSuppliers } from '../../lib/reference/rows'
import type { ResourceDef } from '../jsonapi/document'

/** A supplier: the reference shows its name as both `name` and `title`. */
export const supplierResource: ResourceDef<SupplierRow> = {
  type: 'suppliers',
  attributes: row => ({ key: row.key, name: row.name, title: row.name }),
}

export const locationResource: ResourceDef<LocationRow> = {
  type: 'locations',
  attributes: row => ({
    key: row.key,
    title: row.title,
    location_type: row.location_type,
    nomis_agency_id: row.nomis_agency_id,
    can_upload_documents: row.can_upload_documents,
    young_offender_institution: row.young_offender_institution,
    extradition_capable: row.extradition_capable,
    disabled_at: row.disabled_at ? row.disabled_at.toISOString() : null,
  }),
  relationships: {
    suppliers: { type: 'suppliers', many: true, ids: row => row.supplier_ids, load: loadSuppliers },
  },
}

/** A simple list's row shows the columns its list has, and no others. */
function referenceAttributes(row: ReferenceRow) {
  return {
    key: row.key,
    title: row.title,
    ...(row.category !== undefined ? { category: row.category } : {}),
    ...(row.description !== undefined ? { description: row.description } : {}),
    ...(row.nomis_code !== undefined ? { nomis_code: row.nomis_code } : {}),
    ...(row.disabled_at !== undefined ? { disabled_at: row.disabled_at ? row.disabled_at.toISOString() : null } : {}),
  }
}

const listResource = (type: ReferenceList): ResourceDef<ReferenceRow> => ({ type, attributes: referenceAttributes })

/** The simple reference lists, one resource type each, named as its table. */
export const referenceListResources: Record<ReferenceList, ResourceDef<ReferenceRow>> = {
  assessment_questions: listResource('assessment_questions'),
  allocation_complex_cases: listResource('allocation_complex_cases'),
  ethnicities: listResource('ethnicities'),
  genders: listResource('genders'),
  prison_transfer_reasons: listResource('prison_transfer_reasons'),
}

/** A framework version (issue #15; reference §2.7): its name and version, linked to all its questions. */
export const frameworkResource: ResourceDef<FrameworkRow> = {
  type: 'frameworks',
  attributes: row => ({ name: row.name, version: row.version }),
  relationships: {
    questions: { type: 'framework_questions', many: true, ids: row => row.question_ids, load: loadQuestions },
  },
}

/**
 * A framework question as the reference shows it: `required`, `prefill`, `dependent_value` and the
 * follow-up comment settings stay in the framework files. `descendants` are the questions it shows
 * (its direct dependents; `include=questions.descendants.**` follows them all the way down).
 */
export const frameworkQuestionResource: ResourceDef<FrameworkQuestion> = {
  type: 'framework_questions',
  attributes: row => ({
    key: row.key,
    section: row.section,
    question_type: row.question_type,
    options: row.options,
    response_type: valueType(row),
  }),
  relationships: {
    framework: { type: 'frameworks', ids: row => row.framework_id, load: loadFrameworkRows },
    descendants: { type: 'framework_questions', many: true, ids: row => row.dependent_ids, load: loadQuestions },
    flags: { type: 'framework_flags', many: true, ids: row => row.flag_ids, load: loadFlags },
  },
}

/** A flag a question's option raises. */
export const frameworkFlagResource: ResourceDef<FrameworkFlag> = {
  type: 'framework_flags',
  attributes: row => ({ flag_type: row.flag_type, title: row.title, question_value: row.question_value }),
  relationships: {
    question: { type: 'framework_questions', ids: row => row.framework_question_id, load: loadQuestions },
  },
}

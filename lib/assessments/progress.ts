import type { Framework } from './frameworks'
import { shownQuestionIds } from './visibility'

/**
 * An assessment's progress (issue #15; reference §0.6, §2.5): computed over the shown responses
 * only. `completed` when every shown response has been submitted (`responded`), whether or not its
 * question is required (required-ness only decides whether a blank value is accepted);
 * `not_started` when none has; `in_progress` otherwise.
 */
export type Progress = 'not_started' | 'in_progress' | 'completed'

/** A response as progress sees it: its question, its current value, whether it was submitted. */
export type ResponseState = { framework_question_id: string; value: unknown; responded: boolean }

/** One section's progress, as the assessments show it in `meta.section_progress`. */
export type SectionProgress = { key: string; status: Progress }

function statusOf(responded: boolean[]): Progress {
  if (responded.length && responded.every(Boolean)) return 'completed'
  return responded.some(Boolean) ? 'in_progress' : 'not_started'
}

/** The shown responses of an assessment, given every response it has. */
function shownResponses(framework: Framework, responses: readonly ResponseState[]): ResponseState[] {
  const values = new Map(responses.map(r => [r.framework_question_id, r.value]))
  const shown = shownQuestionIds(framework, values)
  return responses.filter(r => shown.has(r.framework_question_id))
}

/** The whole assessment's progress. */
export function progressOf(framework: Framework, responses: readonly ResponseState[]): Progress {
  return statusOf(shownResponses(framework, responses).map(r => r.responded))
}

/** Whether every shown response has been submitted. */
export function isComplete(framework: Framework, responses: readonly ResponseState[]): boolean {
  return progressOf(framework, responses) === 'completed'
}

/** Each section's progress, in the framework's section order. */
export function sectionProgress(framework: Framework, responses: readonly ResponseState[]): SectionProgress[] {
  const sectionOf = new Map(framework.questions.map(q => [q.id, q.section]))
  const shown = shownResponses(framework, responses)
  return framework.sections.map(key => ({
    key,
    status: statusOf(shown.filter(r => sectionOf.get(r.framework_question_id) === key).map(r => r.responded)),
  }))
}

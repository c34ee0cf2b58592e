import { respondableQuestions, type Framework, type FrameworkQuestion } from './frameworks'
import { selectedOptions } from './responseValues'

/**
 * Which questions of an assessment are shown (issue #15; reference §2.4, §2.5): a top-level question
 * always; a dependent question when its parent is shown and the parent's value selects the
 * dependent's `dependent_value`. The children of an `add_multiple_items` question are answered
 * inside its items and never shown as responses of their own.
 *
 * `values` holds the current value of each response by its question's id (a missing one is blank).
 */
export type Values = ReadonlyMap<string, unknown>

/** The ids of the questions with a response of their own that are shown given `values`. */
export function shownQuestionIds(framework: Framework, values: Values): Set<string> {
  const byId = new Map(framework.questions.map(q => [q.id, q]))
  const shown = new Set<string>()
  // Questions are in position order, a parent before its dependents, so one pass decides each.
  for (const question of respondableQuestions(framework)) {
    if (!question.parent_id) {
      shown.add(question.id)
      continue
    }
    const parent = byId.get(question.parent_id)!
    if (shown.has(parent.id) && isSelectedBy(parent, values.get(parent.id), question)) shown.add(question.id)
  }
  return shown
}

/** Whether `parentValue`, the value of `dependent`'s parent, selects the option that shows `dependent`. */
function isSelectedBy(parent: FrameworkQuestion, parentValue: unknown, dependent: FrameworkQuestion): boolean {
  return dependent.dependent_value !== null && selectedOptions(parent, parentValue).includes(dependent.dependent_value)
}

/**
 * The questions with a response of their own that are hidden given `values`, in order: after a
 * parent's answer changes, their responses are to be reset (no value, not responded, not prefilled,
 * no flags), whatever depth they hide at.
 */
export function hiddenQuestions(framework: Framework, values: Values): FrameworkQuestion[] {
  const shown = shownQuestionIds(framework, values)
  return respondableQuestions(framework).filter(q => !shown.has(q.id))
}

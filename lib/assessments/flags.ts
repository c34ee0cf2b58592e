import { flagsOf, type Framework, type FrameworkFlag, type FrameworkQuestion } from './frameworks'
import { selectedOptions } from './responseValues'
import { shownQuestionIds, type Values } from './visibility'

/**
 * The flags a response raises (issue #15; reference §2.2, §2.4): those of its question whose
 * `question_value` its value selects. Recomputed on every write.
 */
export function raisedFlags(framework: Framework, question: FrameworkQuestion, value: unknown): FrameworkFlag[] {
  const selected = new Set(selectedOptions(question, value))
  return flagsOf(framework, question.id).filter(flag => selected.has(flag.question_value))
}

/** Every flag the shown responses raise given `values` (by question id), in the framework's order. */
export function flagsRaisedBy(framework: Framework, values: Values): FrameworkFlag[] {
  const shown = shownQuestionIds(framework, values)
  return framework.questions
    .filter(q => shown.has(q.id))
    .flatMap(question => raisedFlags(framework, question, values.get(question.id)))
}

import {
  dependentsOf,
  flagsOf,
  respondableQuestions,
  type Framework,
  type FrameworkQuestion,
} from './frameworks'
import type { Answered } from '../../machines/assessment'
import type { SectionProgress } from './rows'

/**
 * The pure rules of answering an assessment (reference §2.4–§2.5): the shape a question's answer
 * takes, whether a value fits it, what a value selects, which questions it shows, the flags it raises,
 * and how far an assessment has got. No I/O.
 */

/** The shape of a question's answer (`value_type`), from its type and whether it takes follow-up comments. */
export type ValueType =
  | 'string'
  | 'array'
  | 'object::followup_comment'
  | 'collection::followup_comment'
  | 'collection::add_multiple_items'

export function valueTypeOf(question: Pick<FrameworkQuestion, 'question_type' | 'followup_comment'>): ValueType {
  switch (question.question_type) {
    case 'radio':
      return question.followup_comment ? 'object::followup_comment' : 'string'
    case 'checkbox':
      return question.followup_comment ? 'collection::followup_comment' : 'array'
    case 'add_multiple_items':
      return 'collection::add_multiple_items'
    default:
      return 'string'
  }
}

type Comment = { option?: unknown; details?: unknown }
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The options a value selects: a radio's string or `option`, a checkbox's strings or `option`s. */
export function selectedOptions(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (isObject(value)) return typeof value.option === 'string' ? [value.option] : []
  if (Array.isArray(value)) {
    return value.flatMap(v => (typeof v === 'string' ? [v] : isObject(v) && typeof v.option === 'string' ? [v.option] : []))
  }
  return []
}

/** An unanswered value: null, an empty or blank string, an empty list, or a comment with no option. */
export function isBlank(value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (typeof value === 'string') return value.trim() === ''
  if (Array.isArray(value)) return value.length === 0
  if (isObject(value)) return typeof value.option !== 'string' || value.option === ''
  return false
}

/** One thing wrong with a value: `path` inside the value (empty: the value itself). */
export type ValueProblem = { path: (string | number)[]; detail: string }

/**
 * What is wrong with `value` as the answer to `question` (none when it fits), as the reference checks
 * it per value type. A blank value is refused only when the question is `required` and shown
 * (`shown`); details of a follow-up comment are mandatory for the options that ask for them, unless
 * NOMIS prefilled the response (`nomisMapped`). Children of an add_multiple_items question are
 * checked by their own types inside each item, every required child answered.
 */
export function valueProblems(
  framework: Framework,
  question: FrameworkQuestion,
  value: unknown,
  options: { shown: boolean; nomisMapped: boolean },
): ValueProblem[] {
  if (isBlank(value)) {
    return question.required && options.shown ? [{ path: [], detail: "can't be blank" }] : []
  }
  const type = valueTypeOf(question)
  const wrongType = (): ValueProblem[] => [{ path: [], detail: `Value: ${JSON.stringify(value)} is incorrect type` }]
  const offered = (option: unknown) => question.options.length === 0 || question.options.includes(option as string)
  const notOffered = (option: unknown, path: (string | number)[]): ValueProblem => ({
    path,
    detail: `${JSON.stringify(option)} is not one of the options offered: ${question.options.join(', ')}`,
  })
  const comment = (c: Comment, path: (string | number)[]): ValueProblem[] => {
    if (typeof c.option !== 'string') return [{ path: [...path, 'option'], detail: 'option is missing' }]
    if (!offered(c.option)) return [notOffered(c.option, [...path, 'option'])]
    const needsDetails = question.followup_comment_options.includes(c.option) && !options.nomisMapped
    if (needsDetails && (typeof c.details !== 'string' || c.details.trim() === '')) {
      return [{ path: [...path, 'details'], detail: `details are required for ${c.option}` }]
    }
    return []
  }
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return wrongType()
      return question.question_type === 'radio' && !offered(value) ? [notOffered(value, [])] : []
    case 'object::followup_comment':
      return isObject(value) ? comment(value, []) : wrongType()
    case 'array': {
      if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) return wrongType()
      const problems = value.flatMap((v, i) => (offered(v) ? [] : [notOffered(v, [i])]))
      return problems.length ? problems : duplicates(value, [])
    }
    case 'collection::followup_comment': {
      if (!Array.isArray(value) || !value.every(isObject)) return wrongType()
      const problems = value.flatMap((v, i) => comment(v, [i]))
      return problems.length ? problems : duplicates(selectedOptions(value), [])
    }
    case 'collection::add_multiple_items':
      return itemProblems(framework, question, value)
  }
}

function duplicates(options: string[], path: (string | number)[]): ValueProblem[] {
  const seen = new Set<string>()
  for (const option of options) {
    if (seen.has(option)) return [{ path, detail: `${option} is selected more than once` }]
    seen.add(option)
  }
  return []
}

function itemProblems(framework: Framework, question: FrameworkQuestion, value: unknown): ValueProblem[] {
  const wrongType = [{ path: [], detail: `Value: ${JSON.stringify(value)} is incorrect type` }]
  if (!Array.isArray(value) || !value.every(isObject)) return wrongType
  const children = dependentsOf(framework, question.id)
  const byId = new Map(children.map(c => [c.id, c]))
  const problems: ValueProblem[] = []
  value.forEach((item, i) => {
    if (typeof item.item !== 'number' || !Array.isArray(item.responses)) {
      problems.push({ path: [i], detail: 'an item needs `item` and `responses`' })
      return
    }
    const answers = item.responses as { framework_question_id?: unknown; value?: unknown }[]
    answers.forEach((answer, j) => {
      const child = byId.get(answer.framework_question_id as string)
      if (!child) {
        problems.push({ path: [i, 'responses', j, 'framework_question_id'], detail: 'is not a question of this item' })
        return
      }
      for (const p of valueProblems(framework, child, answer.value ?? null, { shown: true, nomisMapped: false })) {
        problems.push({ path: [i, 'responses', j, 'value', ...p.path], detail: p.detail })
      }
    })
    for (const child of children.filter(c => c.required)) {
      const answer = answers.find(a => a.framework_question_id === child.id)
      if (!answer || isBlank(answer.value)) {
        problems.push({ path: [i, 'responses'], detail: `${child.key} is required in every item` })
      }
    }
  })
  return problems
}

/**
 * The questions with a response of their own that are shown, given each question's value by id:
 * every top-level one, and a dependent whose parent is shown and has its `dependent_value` selected.
 */
export function shownQuestionIds(framework: Framework, values: ReadonlyMap<string, unknown>): Set<string> {
  const shown = new Set<string>()
  const byId = new Map(framework.questions.map(q => [q.id, q]))
  for (const question of respondableQuestions(framework)) {
    if (!question.parent_id) shown.add(question.id)
    else if (shown.has(question.parent_id)) {
      const parent = byId.get(question.parent_id)!
      const selected = selectedOptions(values.get(parent.id))
      if (question.dependent_value !== null && selected.includes(question.dependent_value)) shown.add(question.id)
    }
  }
  return shown
}

/** The flags `value` raises: those of the question whose option it selects. */
export function flagsRaised(framework: Framework, question: FrameworkQuestion, value: unknown): string[] {
  const selected = new Set(selectedOptions(value))
  return flagsOf(framework, question.id)
    .filter(flag => selected.has(flag.question_value))
    .map(flag => flag.id)
}

/** A response's progress facts: its question, whether it has been answered. */
export type Progressing = { framework_question_id: string; section: string; responded: boolean }

const progressOf = (responses: Progressing[]): Answered =>
  responses.every(r => r.responded) ? 'all' : responses.some(r => r.responded) ? 'some' : 'none'

const SECTION_STATUS = { none: 'not_started', some: 'in_progress', all: 'completed' } as const

/**
 * How far the shown responses have got, overall and per section (in the framework's order; a section
 * with nothing shown counts as completed).
 */
export function progress(
  framework: Framework,
  responses: Progressing[],
  shown: ReadonlySet<string>,
): { answered: Answered; sections: SectionProgress[] } {
  const visible = responses.filter(r => shown.has(r.framework_question_id))
  return {
    answered: progressOf(visible),
    sections: framework.sections.map(key => ({
      key,
      status: SECTION_STATUS[progressOf(visible.filter(r => r.section === key))],
    })),
  }
}

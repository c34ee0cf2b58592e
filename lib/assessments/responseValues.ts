import type { Framework, FrameworkQuestion } from './frameworks'

/**
 * Response values by question type (issue #15; reference §2.4). Pure: the assessments' writes call
 * these before storing anything.
 *
 * | question_type      | followup comment | value_type                       | value                                   |
 * |--------------------|------------------|----------------------------------|-----------------------------------------|
 * | radio              | no               | `string`                         | `"Yes"`, one of the options             |
 * | radio              | yes              | `object::followup_comment`       | `{ option, details }`                   |
 * | checkbox           | no               | `array`                          | `["a", "b"]`, each one of the options   |
 * | checkbox           | yes              | `collection::followup_comment`   | `[{ option, details }]`                 |
 * | text, textarea     | —                | `string`                         | any string                              |
 * | add_multiple_items | —                | `collection::add_multiple_items` | `[{ item, responses: [{ framework_question_id, value }] }]` |
 *
 * `details` is mandatory for the options in the question's `followup_comment_options`, unless the
 * response was filled from NOMIS. Each item of an `add_multiple_items` value answers the question's
 * children (its dependents), each value checked by its child's type, every required child answered.
 */

export type ValueType =
  'string' | 'array' | 'object::followup_comment' | 'collection::followup_comment' | 'collection::add_multiple_items'

/** An option chosen with its follow-up comment. */
export type FollowupComment = { option: string; details?: string | null }

/** One item of an `add_multiple_items` value: its number and its answers to the child questions. */
export type MultipleItem = { item: number; responses: { framework_question_id: string; value: ResponseValue }[] }

export type ResponseValue = string | string[] | FollowupComment | FollowupComment[] | MultipleItem[] | null

/**
 * One thing wrong with a value. `path` leads from the value to the offending member
 * (`[]` the value itself, `[1, 'details']`, `[0, 'responses', 2, 'value']`). `kind`:
 * - `type`: the value (or member) is of the wrong JSON type or shape;
 * - `blank`: a required question's value is blank;
 * - `not_offered`: an option the question does not offer;
 * - `invalid`: any other rule (a repeated option, a missing comment, an unknown child question).
 */
export type ValueProblem = {
  path: (string | number)[]
  kind: 'type' | 'blank' | 'not_offered' | 'invalid'
  detail: string
}

/** The value type of a question's responses (the `response_type` of the reference's questions). */
export function valueType(question: FrameworkQuestion): ValueType {
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

/**
 * Whether a value counts as no answer: null, undefined, an empty or whitespace string, an empty list,
 * or a follow-up comment without an option.
 */
export function isBlank(value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (typeof value === 'string') return value.trim() === ''
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') {
    const option = (value as { option?: unknown }).option
    return option === undefined || option === null || option === ''
  }
  return false
}

/**
 * The options a value selects: the radio's option, the checkbox's options; none for other types
 * or for a value of the wrong shape.
 */
export function selectedOptions(question: FrameworkQuestion, value: unknown): string[] {
  if (question.question_type !== 'radio' && question.question_type !== 'checkbox') return []
  const pick = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : isRecord(v) && typeof v.option === 'string' ? v.option : undefined
  const picked = Array.isArray(value) ? value.map(pick) : [pick(value)]
  return picked.filter((option): option is string => option !== undefined)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const wrongType = (path: (string | number)[], value: unknown): ValueProblem => ({
  path,
  kind: 'type',
  detail: `Value: ${JSON.stringify(value)} is incorrect type`,
})

export type ValidateOptions = {
  /** Whether the question is shown (its parent selects it): a hidden question's blank is accepted. Default true. */
  shown?: boolean
  /** Whether the response was filled from NOMIS: then a mandatory follow-up comment may be missing. */
  nomisMapped?: boolean
}

/**
 * Every problem with `value` as the answer to `question` of `framework`; none when it is acceptable.
 * A blank value is refused only for a required question that is shown.
 */
export function validateValue(
  framework: Framework,
  question: FrameworkQuestion,
  value: unknown,
  options: ValidateOptions = {},
): ValueProblem[] {
  if (value === null || value === undefined || (isBlank(value) && hasShape(question, value))) {
    return (options.shown ?? true) && question.required ? [{ path: [], kind: 'blank', detail: "can't be blank" }] : []
  }
  switch (valueType(question)) {
    case 'string':
      if (typeof value !== 'string') return [wrongType([], value)]
      return question.question_type === 'radio' ? offered(question, value, []) : []
    case 'object::followup_comment':
      return followupComment(question, value, [], options)
    case 'array': {
      if (!Array.isArray(value)) return [wrongType([], value)]
      const problems = value.flatMap((v, i) =>
        typeof v === 'string' ? offered(question, v, [i]) : [wrongType([i], v)],
      )
      return [
        ...problems,
        ...repeated(
          value.filter(v => typeof v === 'string'),
          [],
        ),
      ]
    }
    case 'collection::followup_comment': {
      if (!Array.isArray(value)) return [wrongType([], value)]
      const problems = value.flatMap((v, i) => followupComment(question, v, [i], options))
      const chosen = value.map(v => (isRecord(v) ? v.option : undefined)).filter(o => typeof o === 'string')
      return [...problems, ...repeated(chosen, [])]
    }
    case 'collection::add_multiple_items':
      return multipleItems(framework, question, value)
  }
}

/** Whether a value has the JSON shape of the question's values (a blank of another shape is a wrong type). */
function hasShape(question: FrameworkQuestion, value: unknown): boolean {
  const type = valueType(question)
  if (type === 'string') return typeof value === 'string'
  return type === 'object::followup_comment' ? isRecord(value) : Array.isArray(value)
}

function offered(question: FrameworkQuestion, option: string, path: (string | number)[]): ValueProblem[] {
  return question.options.includes(option)
    ? []
    : [{ path, kind: 'not_offered', detail: `${JSON.stringify(option)} is not one of the options of ${question.key}` }]
}

function repeated(options: unknown[], path: (string | number)[]): ValueProblem[] {
  return new Set(options).size === options.length
    ? []
    : [{ path, kind: 'invalid', detail: 'an option may be chosen only once' }]
}

function followupComment(
  question: FrameworkQuestion,
  value: unknown,
  path: (string | number)[],
  options: ValidateOptions,
): ValueProblem[] {
  if (!isRecord(value)) return [wrongType(path, value)]
  const problems: ValueProblem[] = []
  for (const member of Object.keys(value)) {
    if (member !== 'option' && member !== 'details') {
      problems.push({ path: [...path, member], kind: 'invalid', detail: `${member} is not a member of an answer` })
    }
  }
  const { option, details } = value
  if (typeof option !== 'string') return [...problems, wrongType([...path, 'option'], option ?? null)]
  problems.push(...offered(question, option, [...path, 'option']))
  if (details !== undefined && details !== null && typeof details !== 'string') {
    problems.push(wrongType([...path, 'details'], details))
  } else if (
    question.followup_comment_options.includes(option) &&
    !options.nomisMapped &&
    (typeof details !== 'string' || !details.trim())
  ) {
    problems.push({
      path: [...path, 'details'],
      kind: 'blank',
      detail: `details can't be blank when ${option} is chosen`,
    })
  }
  return problems
}

function multipleItems(framework: Framework, question: FrameworkQuestion, value: unknown): ValueProblem[] {
  if (!Array.isArray(value)) return [wrongType([], value)]
  const children = framework.questions.filter(q => q.parent_id === question.id)
  const problems: ValueProblem[] = []
  const numbers = new Set<number>()
  value.forEach((item, i) => {
    if (!isRecord(item) || !Array.isArray(item.responses)) return problems.push(wrongType([i], item))
    if (!Number.isInteger(item.item) || (item.item as number) < 0) {
      problems.push(wrongType([i, 'item'], item.item ?? null))
    } else if (numbers.has(item.item as number)) {
      problems.push({ path: [i, 'item'], kind: 'invalid', detail: `item ${item.item} is given twice` })
    } else numbers.add(item.item as number)
    const answered = new Set<string>()
    item.responses.forEach((response: unknown, r: number) => {
      const at = [i, 'responses', r]
      if (!isRecord(response)) return problems.push(wrongType(at, response))
      const child = children.find(c => c.id === response.framework_question_id)
      if (!child) {
        return problems.push({
          path: [...at, 'framework_question_id'],
          kind: 'invalid',
          detail: `${JSON.stringify(response.framework_question_id ?? null)} is not a question of ${question.key}`,
        })
      }
      if (answered.has(child.id)) {
        return problems.push({
          path: [...at, 'framework_question_id'],
          kind: 'invalid',
          detail: `${child.key} is answered twice`,
        })
      }
      answered.add(child.id)
      for (const problem of validateValue(framework, child, response.value)) {
        problems.push({ ...problem, path: [...at, 'value', ...problem.path] })
      }
    })
    for (const child of children) {
      if (child.required && !answered.has(child.id)) {
        problems.push({ path: [i, 'responses'], kind: 'blank', detail: `${child.key} can't be blank` })
      }
    }
  })
  return problems
}

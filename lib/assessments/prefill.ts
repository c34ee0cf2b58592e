import type { Tx } from '../../db/client'
import { dependentsOf, type Framework, type FrameworkQuestion } from './frameworks'
import { validateValue, valueType } from './responseValues'
import type { AssessmentKind } from './scope'

/** A new response being built: its question, the value it starts with, and whether that was prefilled. */
export type Prefilling = { framework_question_id: string; value: unknown; prefilled: boolean }

type SourceResponse = { key: string; value_type: string; value: unknown }

/**
 * Prefills `responses` (reference §2.6) from the person's latest confirmed assessment of `kind`, the
 * `prefill_source`: a response whose question is marked prefill takes the source's value for the
 * question with the same key (so it works across framework versions), when the value still fits the
 * question; it is then `prefilled` but not responded, so it must still be submitted. For an
 * add_multiple_items question only the answers of its prefill children are copied, matched by key.
 * Answers the source's id, or null when the person has no confirmed assessment of the kind.
 */
export async function prefillFromPrevious(
  tx: Tx,
  framework: Framework,
  responses: Prefilling[],
  who: { personId: string; kind: AssessmentKind },
): Promise<string | null> {
  const source = (await tx('assessments as a')
    .join('profiles as p', 'p.id', 'a.profile_id')
    .where({ 'p.person_id': who.personId, 'a.kind': who.kind, 'a.status': 'confirmed' })
    .orderBy([
      { column: 'a.confirmed_at', order: 'desc' },
      { column: 'a.id', order: 'desc' },
    ])
    .first('a.id')) as { id: string } | undefined
  if (!source) return null
  const previous = (await tx('framework_responses as r')
    .join('framework_questions as q', 'q.id', 'r.framework_question_id')
    .where('r.assessment_id', source.id)
    .whereNotNull('r.value')
    .select('q.key', 'r.value_type', 'r.value')) as SourceResponse[]
  const byKey = new Map(previous.map(r => [r.key, r]))
  // The source's child questions by id, to match an item's answers by key.
  const sourceChildKeys = new Map<string, string>(
    (
      (await tx('framework_questions as q')
        .join('framework_responses as r', 'r.framework_question_id', 'q.parent_id')
        .where('r.assessment_id', source.id)
        .select('q.id', 'q.key')) as { id: string; key: string }[]
    ).map(q => [q.id, q.key]),
  )
  const questions = new Map(framework.questions.map(q => [q.id, q]))
  for (const response of responses) {
    const question = questions.get(response.framework_question_id)!
    const found = byKey.get(question.key)
    if (!question.prefill || !found || found.value_type !== valueType(question)) continue
    const value =
      question.question_type === 'add_multiple_items'
        ? prefillItems(framework, question, found.value, sourceChildKeys)
        : found.value
    if (value === null) continue
    if (validateValue(framework, question, value, { shown: false, nomisMapped: true }).length) continue
    response.value = value
    response.prefilled = true
  }
  return source.id
}

type Item = { item: number; responses: { framework_question_id: string; value: unknown }[] }

/** The items of a previous answer, keeping only the answers of children marked prefill (by key); null when none is left. */
function prefillItems(
  framework: Framework,
  question: FrameworkQuestion,
  value: unknown,
  sourceChildKeys: Map<string, string>,
): Item[] | null {
  if (!Array.isArray(value)) return null
  const children = new Map(
    dependentsOf(framework, question.id)
      .filter(c => c.prefill)
      .map(c => [c.key, c.id]),
  )
  const items = (value as Item[])
    .map(item => ({
      item: item.item,
      responses: (item.responses ?? []).flatMap(answer => {
        const id = children.get(sourceChildKeys.get(answer.framework_question_id) ?? '')
        return id ? [{ framework_question_id: id, value: answer.value }] : []
      }),
    }))
    .filter(item => item.responses.length)
  return items.length ? items : null
}

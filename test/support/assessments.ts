import { expect } from 'chai'
import { as, type TestClient } from './app'
import { aMove, patch, post, type MoveOptions } from './builders'
import type { World } from './world'

/** The JSON:API type of each kind of assessment. */
export type AssessmentType = 'person_escort_records' | 'youth_risk_assessments'

/** A question as a response's include shows it. */
export type Question = {
  id: string
  key: string
  section: string
  question_type: string
  options: string[]
  response_type: string
  descendants: string[]
}

/** A response with its question. */
export type AnsweredResponse = {
  id: string
  value: unknown
  value_type: string
  responded: boolean
  prefilled: boolean
  flags: string[]
  question: Question
}

/** A created assessment's document, as the tests read it. */
export type AssessmentDocument = {
  data: {
    id: string
    type: string
    attributes: Record<string, unknown>
    relationships: Record<string, { data: { type: string; id: string } | null }>
    meta: { section_progress: { key: string; status: string }[] }
  }
}

/** The body that creates an assessment for a move (at `version` when given). */
export const assessmentBody = (type: AssessmentType, moveId: string, version?: string) => ({
  data: {
    type,
    attributes: version ? { version } : {},
    relationships: { move: { data: { type: 'moves', id: moveId } } },
  },
})

/** The body that answers responses in bulk. */
export const responsesBody = (answers: { id: string; value: unknown }[]) => ({
  data: answers.map(a => ({ id: a.id, type: 'framework_responses', attributes: { value: a.value } })),
})

/** The body that answers one response. */
export const responseBody = (value: unknown) => ({ data: { type: 'framework_responses', attributes: { value } } })

/** The body that confirms an assessment, with handover details for a person escort record. */
export const confirmBody = (type: AssessmentType, attributes: Record<string, unknown> = {}) => ({
  data: { type, attributes: { status: 'confirmed', ...attributes } },
})

/**
 * An assessment created over HTTP for a move (a new move, by `by`, unless `moveId` is given); answers
 * its id, its move and profile, and the created document.
 */
export async function anAssessment(
  world: World,
  options: { type?: AssessmentType; by?: TestClient; moveId?: string; move?: MoveOptions } = {},
): Promise<{ id: string; moveId: string; profileId: string; body: AssessmentDocument }> {
  const by = options.by ?? world.frontend
  const type = options.type ?? 'person_escort_records'
  const move = options.moveId ? { id: options.moveId, profileId: '' } : await aMove(world, { by, ...options.move })
  const res = await post(world, by, `/api/${type}`).send(assessmentBody(type, move.id)).expect(201)
  return {
    id: res.body.data.id,
    moveId: move.id,
    profileId: res.body.data.relationships.profile.data.id,
    body: res.body,
  }
}

/** What one read of an assessment with its responses shows: its status, the responses, every question by id. */
type Read = { status: string; responses: AnsweredResponse[]; questions: Map<string, Question> }

async function read(world: World, id: string, options: { by?: TestClient; type?: AssessmentType }): Promise<Read> {
  const res = await as(world.app, options.by ?? world.frontend)
    .get(`/api/${options.type ?? 'person_escort_records'}/${id}`)
    .query({ include: 'responses,responses.question,responses.question.descendants,responses.flags' })
    .expect(200)
  const included = res.body.included as {
    type: string
    id: string
    attributes: Record<string, unknown>
    relationships?: Record<string, { data: { id: string } | { id: string }[] | null }>
  }[]
  const questions = new Map(
    included
      .filter(r => r.type === 'framework_questions')
      .map(q => [
        q.id,
        {
          id: q.id,
          ...q.attributes,
          descendants: ((q.relationships?.descendants?.data ?? []) as { id: string }[]).map(d => d.id),
        } as Question,
      ]),
  )
  const responses = included
    .filter(r => r.type === 'framework_responses')
    .map(r => ({
      id: r.id,
      ...(r.attributes as Omit<AnsweredResponse, 'id' | 'flags' | 'question'>),
      flags: ((r.relationships?.flags?.data ?? []) as { id: string }[]).map(f => f.id),
      question: questions.get((r.relationships!.question!.data as { id: string }).id)!,
    }))
  return { status: res.body.data.attributes.status as string, responses, questions }
}

/** The assessment's responses with their questions (and the questions' descendants), as `by` reads them. */
export async function responsesOf(
  world: World,
  id: string,
  options: { by?: TestClient; type?: AssessmentType } = {},
): Promise<AnsweredResponse[]> {
  return (await read(world, id, options)).responses
}

/** The response to question `key`. */
export function responseTo(responses: AnsweredResponse[], key: string): AnsweredResponse {
  const found = responses.find(r => r.question.key === key)
  expect(found, `a response to ${key}`).not.to.equal(undefined)
  return found!
}

/**
 * A valid answer to a question that shows no dependents where it can: "No" for a radio offering it,
 * the last option of a checkbox, with a comment where the value takes one; a text; one item of an
 * add_multiple_items question answering each child (`children`, by id) the same way.
 */
export function quietAnswer(question: Question, children: Map<string, Question> = new Map()): unknown {
  const option = question.options.includes('No') ? 'No' : question.options[question.options.length - 1]!
  switch (question.response_type) {
    case 'object::followup_comment':
      return { option, details: 'Checked with the wing' }
    case 'array':
      return [option]
    case 'collection::followup_comment':
      return [{ option, details: 'Checked with the wing' }]
    case 'collection::add_multiple_items':
      return [
        {
          item: 1,
          responses: question.descendants.map(id => ({
            framework_question_id: id,
            value: quietAnswer(children.get(id)!),
          })),
        },
      ]
    default:
      return question.question_type === 'radio' ? option : 'Nothing to note'
  }
}

/**
 * Answers every response of the assessment not yet answered, one section at a time in bulk (as the
 * frontend saves a form step), with {@link quietAnswer}s; again for responses the answers show, until
 * nothing is left. Answers the assessment's status after.
 */
export async function answerAll(
  world: World,
  id: string,
  options: { by?: TestClient; type?: AssessmentType } = {},
): Promise<string> {
  const by = options.by ?? world.frontend
  const type = options.type ?? 'person_escort_records'
  let current = await read(world, id, { by, type })
  for (let round = 0; round < 3 && current.status !== 'completed'; round++) {
    const open = current.responses.filter(r => !r.responded)
    for (const section of [...new Set(open.map(r => r.question.section))]) {
      const answers = open
        .filter(r => r.question.section === section)
        .map(r => ({ id: r.id, value: quietAnswer(r.question, current.questions) }))
      await patch(world, by, `/api/${type}/${id}/framework_responses`).send(responsesBody(answers)).expect(204)
    }
    current = await read(world, id, { by, type })
  }
  return current.status
}

/**
 * A person escort record on a move GEOAmey only sees: Serco's move from Leeds to Belmarsh, one of
 * GEOAmey's prisons. Answers the record's id and its move's.
 */
export async function aRecordOfASeenMove(world: World): Promise<{ id: string; moveId: string }> {
  const move = await aMove(world, { from: 'lei', to: 'bmi' })
  const { id } = await anAssessment(world, { moveId: move.id })
  return { id, moveId: move.id }
}

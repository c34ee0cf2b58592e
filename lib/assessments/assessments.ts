import type { Tx } from '../../db/client'
import {
  decideAssessment,
  type Answered,
  type AssessmentEffect,
  type AssessmentEvent,
  type AssessmentStatus,
} from '../../machines/assessment'
import { DomainError, attribute, member, relationship, type Problem } from '../errors'
import type { Write } from '../write'
import { recordAssessmentEffects } from './effects'
import { loadFramework, loadFrameworkById, respondableQuestions, type Framework, type FrameworkQuestion } from './frameworks'
import { importNomisAlerts } from './nomisPrefill'
import { prefillFromPrevious } from './prefill'
import { raisedFlags } from './flags'
import { progressOf, sectionProgress, type Progress } from './progress'
import { validateValue, valueType } from './responseValues'
import { shownQuestionIds } from './visibility'
import { ASSESSMENT_FRAMEWORKS, ASSESSMENT_LABELS, scopeAssessments, type AssessmentKind } from './scope'
import type { NomisSyncStatus } from './rows'

/** Who writes: the API client (its name answers `responded_by`) and its supplier, if any. */
export type AssessmentClient = { id: string; name: string; supplierId: string | null }

/** The locations a youth risk assessment's move may leave from (reference §2.2; we keep no young offender institution type). */
const YOUTH_ESTATE = ['secure_training_centre', 'secure_childrens_home']

/** A response as the writes work on it. */
type Response = {
  id: string
  framework_question_id: string
  section: string
  value: unknown
  responded: boolean
  prefilled: boolean
  nomis_mapped: boolean
}

/** An assessment locked for a write: the columns the machine and the effects read. */
export type LockedAssessment = {
  id: string
  kind: AssessmentKind
  framework_id: string
  move_id: string | null
  status: AssessmentStatus
  completed_at: Date | null
}

/** The machine's view of an assessment's progress over its shown responses. */
const ANSWERED: Record<Progress, Answered> = { not_started: 'none', in_progress: 'some', completed: 'all' }

const notFound = (kind: AssessmentKind | 'framework_response', id: string) =>
  new DomainError('not_found', `Couldn't find ${ASSESSMENT_LABELS[kind]} with 'id'=${id}`)

/**
 * Creates the assessment of `kind` for the profile of move `moveId`, from the framework at `version`
 * (the newest when null), with one response per question (reference §2.6), prefilled from the person's
 * latest confirmed assessment of the kind and, when the move leaves a prison, from their NOMIS alerts.
 * Throws not_found (the move, for a supplier one it does not supply; the version), unprocessable_entity
 * (a move without a profile; a youth risk assessment of a move not from the youth estate), taken (the
 * profile has one already). Answers the new assessment's id.
 */
export async function createAssessment(
  w: Write,
  input: { kind: AssessmentKind; moveId: string; version: string | null },
  client: AssessmentClient,
  now: Date,
): Promise<string> {
  const { tx } = w
  const move = (await tx('moves as m')
    .join('locations as l', 'l.id', 'm.from_location_id')
    .leftJoin('profiles as p', 'p.id', 'm.profile_id')
    .where('m.id', input.moveId)
    .modify(q => {
      if (client.supplierId) q.where('m.supplier_id', client.supplierId)
    })
    .first('m.id', 'm.profile_id', 'p.person_id', 'l.location_type')) as
    | { id: string; profile_id: string | null; person_id: string | null; location_type: string }
    | undefined
  if (!move) {
    throw new DomainError('not_found', `Couldn't find Move with 'id'=${input.moveId}`, { subject: relationship('move') })
  }
  if (!move.profile_id || !move.person_id) {
    throw new DomainError('unprocessable_entity', 'The move has no profile to assess', { subject: relationship('move') })
  }
  if (input.kind === 'youth_risk_assessment' && !YOUTH_ESTATE.includes(move.location_type)) {
    throw new DomainError(
      'unprocessable_entity',
      "Move 'from location' must be from either a secure training centre or a secure children's home",
      { subject: relationship('move') },
    )
  }
  const framework = await loadFramework(tx, ASSESSMENT_FRAMEWORKS[input.kind], input.version ?? undefined)
  if (!framework) {
    throw new DomainError(
      'not_found',
      `Couldn't find the ${ASSESSMENT_FRAMEWORKS[input.kind]} framework${input.version ? ` version ${input.version}` : ''}`,
      { subject: attribute('version') },
    )
  }
  // The profile's row lock orders two creations for one profile; the unique index backs it.
  await tx('profiles').where({ id: move.profile_id }).forUpdate().first('id')
  const existing = await tx('assessments').where({ profile_id: move.profile_id, kind: input.kind }).first('id')
  if (existing) {
    throw new DomainError('taken', 'Profile has already been taken', {
      subject: relationship('move'),
      meta: { existing_id: existing.id },
    })
  }

  const id = crypto.randomUUID()
  const questions = respondableQuestions(framework)
  const responses: Response[] = questions.map(q => ({
    id: crypto.randomUUID(),
    framework_question_id: q.id,
    section: q.section,
    value: null,
    responded: false,
    prefilled: false,
    nomis_mapped: false,
  }))
  const source = await prefillFromPrevious(tx, framework, responses, { personId: move.person_id, kind: input.kind })
  await tx('assessments').insert({
    id,
    kind: input.kind,
    framework_id: framework.id,
    profile_id: move.profile_id,
    move_id: move.id,
    prefill_source_id: source,
    status: 'not_started',
    created_at: now,
    updated_at: now,
  })
  const byQuestion = new Map(questions.map(q => [q.id, q]))
  await tx('framework_responses').insert(
    responses.map(r => ({
      id: r.id,
      assessment_id: id,
      framework_question_id: r.framework_question_id,
      section: r.section,
      value_type: valueType(byQuestion.get(r.framework_question_id)!),
      value: r.value === null ? null : JSON.stringify(r.value),
      prefilled: r.prefilled,
    })),
  )
  const sync: NomisSyncStatus[] =
    move.location_type === 'prison' ? await importNomisAlerts(tx, framework, responses, move.person_id, now) : []
  await writeFlags(tx, framework, responses)
  await tx('assessments')
    .where({ id })
    .update({
      section_progress: JSON.stringify(sectionProgress(framework, responses)),
      nomis_sync_status: JSON.stringify(sync),
    })
  return id
}

/**
 * The assessment `id` of `kind` as the client may see it (reference scope: a supplier, those of its
 * own moves), or not_found.
 */
export async function findAssessmentId(
  tx: Tx,
  kind: AssessmentKind,
  id: string,
  client: Pick<AssessmentClient, 'supplierId'>,
): Promise<string> {
  const row = await scopeAssessments(tx('assessments as a').where({ 'a.id': id, 'a.kind': kind }), client.supplierId)
    .first('a.id')
  if (!row) throw notFound(kind, id)
  return id
}

/** Locks the assessment for a write (the one row every write to it and its responses takes first). */
async function lockAssessment(
  tx: Tx,
  where: { id: string; kind?: AssessmentKind },
  supplierId: string | null,
): Promise<LockedAssessment> {
  const row = (await scopeAssessments(
    tx('assessments as a').where({ 'a.id': where.id, ...(where.kind ? { 'a.kind': where.kind } : {}) }),
    supplierId,
  )
    .forUpdate()
    .first('a.id', 'a.kind', 'a.framework_id', 'a.move_id', 'a.status', 'a.completed_at')) as
    | LockedAssessment
    | undefined
  if (!row) throw notFound(where.kind ?? 'person_escort_record', where.id)
  return row
}

function refuseConfirmed(assessment: LockedAssessment): void {
  if (assessment.status === 'confirmed') {
    throw new DomainError('forbidden', `Can't update ${ASSESSMENT_LABELS[assessment.kind]} because it is confirmed`, {
      meta: { status: assessment.status },
    })
  }
}

/** Runs `event` through the machine for the locked assessment: the next status and effects, or the refusal as an error. */
function decide(assessment: LockedAssessment, event: AssessmentEvent) {
  const decision = decideAssessment(assessment.status, event)
  if (decision.allowed) return decision
  refuseConfirmed(assessment)
  throw new DomainError(
    'invalid_transition',
    `Status can't update to 'confirmed' from '${assessment.status.replace('_', ' ')}'`,
    { meta: { status: assessment.status, event: event.type } },
  )
}

/** One answer to write: a response id and its new value, with where the value sits in the request body. */
export type AnswerInput = { id: string; value: unknown; at: (string | number)[] }

/**
 * Answers responses of one assessment, all or nothing (reference §2.8): `assessmentId` with `kind`
 * names the assessment (a bulk write: every response must be one of its, else not_found); without it
 * the assessment is the one response's. Each value is checked against its question as it will be
 * shown after the write (unprocessable_entity, every failing value at its place in the body, with the
 * response id in meta); an answer equal to the one given before is skipped. Dependents no longer shown
 * are cleared, flags recomputed, and the machine decides the status from the progress over the shown
 * responses: completed, amended, or in progress. A confirmed assessment is forbidden.
 */
export async function answerResponses(
  w: Write,
  input: { assessmentId: string | null; kind: AssessmentKind | null; answers: AnswerInput[] },
  client: AssessmentClient,
  now: Date,
): Promise<void> {
  const { tx } = w
  let assessmentId = input.assessmentId
  if (!assessmentId) {
    const id = input.answers[0]!.id
    const found = await tx('framework_responses').where({ id }).first('assessment_id')
    if (!found) throw notFound('framework_response', id)
    assessmentId = found.assessment_id as string
  }
  const assessment = await lockAssessment(
    tx,
    { id: assessmentId, kind: input.kind ?? undefined },
    client.supplierId,
  ).catch(err => {
    // A single response is named by its own id: one the client cannot see is that response not found.
    if (!input.assessmentId && err instanceof DomainError) throw notFound('framework_response', input.answers[0]!.id)
    throw err
  })
  refuseConfirmed(assessment)
  const framework = (await loadFrameworkById(tx, assessment.framework_id))!
  const responses = await loadResponsesForWrite(tx, assessment.id)
  const byId = new Map(responses.map(r => [r.id, r]))
  for (const answer of input.answers) {
    if (!byId.has(answer.id)) {
      throw new DomainError('not_found', `Couldn't find FrameworkResponse with 'id'=${answer.id}`, {
        subject: member(...answer.at.slice(0, -2), 'id'),
      })
    }
  }

  const questions = new Map(framework.questions.map(q => [q.id, q]))
  const changed = input.answers.filter(a => {
    const r = byId.get(a.id)!
    return !(r.responded && JSON.stringify(r.value) === JSON.stringify(a.value))
  })
  if (!changed.length) return
  const values = new Map(responses.map(r => [r.framework_question_id, r.value]))
  for (const a of changed) values.set(byId.get(a.id)!.framework_question_id, a.value)
  const shown = shownQuestionIds(framework, values)
  const problems: Problem[] = changed.flatMap(a => {
    const response = byId.get(a.id)!
    const question = questions.get(response.framework_question_id)!
    return validateValue(framework, question, a.value, {
      shown: shown.has(question.id),
      nomisMapped: response.nomis_mapped,
    }).map(p => ({
      detail: p.detail,
      subject: member(...a.at, ...p.path),
      meta: { id: a.id, question: question.key },
    }))
  })
  if (problems.length) throw DomainError.many('unprocessable_entity', problems)

  // An answer to a question its parent's value hides is not kept: the response stays cleared.
  const kept = changed.filter(a => shown.has(byId.get(a.id)!.framework_question_id))
  for (const a of kept) {
    const response = byId.get(a.id)!
    Object.assign(response, { value: a.value, responded: true })
    await tx('framework_responses')
      .where({ id: a.id })
      .update({ value: JSON.stringify(a.value), responded: true, responded_by: client.name, responded_at: now })
  }
  // A dependent its parent's new answer hides is cleared, whatever it held (reference §2.4).
  const hidden = responses.filter(
    r => !shown.has(r.framework_question_id) && (r.responded || r.prefilled || r.value !== null),
  )
  for (const r of hidden) Object.assign(r, { value: null, responded: false, prefilled: false })
  if (!kept.length && !hidden.length) return
  if (hidden.length) {
    await tx('framework_responses')
      .whereIn(
        'id',
        hidden.map(r => r.id),
      )
      .update({ value: null, responded: false, prefilled: false, responded_by: null, responded_at: null })
  }
  await writeFlags(tx, framework, [...kept.map(a => byId.get(a.id)!), ...hidden])

  const answered = ANSWERED[progressOf(framework, responses)]
  const decision = decide(assessment, { type: 'respond', answered, everCompleted: assessment.completed_at !== null })
  const answeredSections = [...new Set(kept.map(a => byId.get(a.id)!.section))]
  await applyDecision(w, assessment, decision.status, decision.effects, client, now, {
    section_progress: JSON.stringify(sectionProgress(framework, responses)),
    responses: { by: client.name, sections: answeredSections },
  })
}

/** Handover details as the contract declares them (openapi.yaml HandoverDetails). */
export type HandoverDetails = {
  dispatching_officer?: string
  dispatching_officer_id?: string
  dispatching_officer_contact?: string
  receiving_officer?: string
  receiving_officer_id?: string
  receiving_officer_contact?: string
  receiving_organisation?: string
  location_id?: string
}

/**
 * Confirms assessment `id` of `kind` (reference §2.5): a person escort record is handed over
 * (handover details kept, the location the move's from_location unless given, a PerHandover event at
 * `occurredAt` or now), a youth risk assessment confirmed. Throws not_found, forbidden (confirmed
 * already), invalid_transition (not completed), not_found at the handover location.
 */
export async function confirmAssessment(
  w: Write,
  input: { id: string; kind: AssessmentKind; handover: HandoverDetails; occurredAt: Date | null },
  client: AssessmentClient,
  now: Date,
): Promise<void> {
  const { tx } = w
  const assessment = await lockAssessment(tx, input, client.supplierId)
  const event = assessment.kind === 'person_escort_record' ? 'handover' : 'confirm'
  const decision = decide(assessment, { type: event })
  let handover: Record<string, unknown> = {}
  if (event === 'handover') {
    const move = (await tx('moves').where({ id: assessment.move_id }).first('from_location_id')) as
      { from_location_id: string } | undefined
    const locationId = input.handover.location_id ?? move?.from_location_id ?? null
    if (locationId && !(await tx('locations').where({ id: locationId }).first('id'))) {
      throw new DomainError('not_found', `Couldn't find Location with 'id'=${locationId}`, {
        subject: attribute('handover_details', 'location_id'),
      })
    }
    handover = { ...input.handover, location_id: locationId }
  }
  await applyDecision(w, assessment, decision.status, decision.effects, client, now, {
    handover,
    handover_occurred_at: input.occurredAt ?? now,
  })
}

/**
 * When moves start, the completed person escort records of their profiles are confirmed (reference:
 * MoveStart auto-confirms), each with a PerConfirmation event and a confirm_person_escort_record
 * notification. Records in any other status are left as they are.
 */
export async function confirmOnMoveStart(
  w: Write,
  moveIds: string[],
  client: Pick<AssessmentClient, 'id' | 'supplierId'>,
  now: Date,
): Promise<void> {
  if (!moveIds.length) return
  const { tx } = w
  const records = (await tx('assessments as a')
    .join('moves as m', 'm.profile_id', 'a.profile_id')
    .whereIn('m.id', moveIds)
    .where({ 'a.kind': 'person_escort_record', 'a.status': 'completed' })
    .orderBy('a.id')
    .forUpdate()
    .select('a.id', 'a.kind', 'a.framework_id', 'a.move_id', 'a.status', 'a.completed_at')) as LockedAssessment[]
  for (const record of records) {
    const decision = decideAssessment(record.status, { type: 'confirm' })
    if (decision.allowed) await applyDecision(w, record, decision.status, decision.effects, client, now, {})
  }
}

/** What the effects record beyond the machine's decision. */
type Facts = {
  section_progress?: string
  responses?: { by: string; sections: string[] }
  handover?: Record<string, unknown>
  handover_occurred_at?: Date
}

/**
 * Writes the machine's decision: the status (a conditional UPDATE on the status decided from; the row
 * lock makes losing it impossible, so losing is an error), the timestamps the effects stamp, then the
 * effects' events and notifications (./effects.ts).
 */
async function applyDecision(
  w: Write,
  assessment: LockedAssessment,
  status: AssessmentStatus,
  effects: AssessmentEffect[],
  client: Pick<AssessmentClient, 'id' | 'supplierId'>,
  now: Date,
  facts: Facts,
): Promise<void> {
  const has = (type: AssessmentEffect['type']) => effects.some(e => e.type === type)
  const changes: Record<string, unknown> = { status, updated_at: now }
  if (facts.section_progress) changes.section_progress = facts.section_progress
  if (has('recordCompletion')) changes.completed_at = now
  if (has('recordAmendment')) changes.amended_at = now
  if (has('recordConfirmation') || has('recordHandover')) changes.confirmed_at = now
  if (has('recordHandover')) {
    changes.handover_details = JSON.stringify(facts.handover ?? {})
    changes.handover_occurred_at = facts.handover_occurred_at ?? now
  }
  const updated = await w
    .tx('assessments')
    .where({ id: assessment.id, status: assessment.status })
    .update(changes, ['id'])
  if (updated.length !== 1) throw new Error(`assessment ${assessment.id} changed under its row lock`)
  await recordAssessmentEffects(w, assessment, effects, client, now, {
    responses: facts.responses,
    handover: facts.handover,
    handoverOccurredAt: facts.handover_occurred_at,
  })
}

async function loadResponsesForWrite(tx: Tx, assessmentId: string): Promise<Response[]> {
  return (await tx('framework_responses as r')
    .join('framework_questions as q', 'q.id', 'r.framework_question_id')
    .where('r.assessment_id', assessmentId)
    .orderBy('q.position')
    .select(
      'r.id',
      'r.framework_question_id',
      'r.section',
      'r.value',
      'r.responded',
      'r.prefilled',
      tx.raw(
        'exists (select 1 from framework_response_nomis_mappings rm where rm.framework_response_id = r.id) as nomis_mapped',
      ),
    )) as Response[]
}

/** Replaces the flags of `responses` with those their values raise now. */
async function writeFlags(
  tx: Tx,
  framework: Framework,
  responses: Pick<Response, 'id' | 'framework_question_id' | 'value'>[],
): Promise<void> {
  if (!responses.length) return
  const questions = new Map<string, FrameworkQuestion>(framework.questions.map(q => [q.id, q]))
  await tx('framework_response_flags')
    .whereIn(
      'framework_response_id',
      responses.map(r => r.id),
    )
    .delete()
  const rows = responses.flatMap(r =>
    raisedFlags(framework, questions.get(r.framework_question_id)!, r.value).map(flag => ({
      framework_response_id: r.id,
      framework_flag_id: flag.id,
    })),
  )
  if (rows.length) await tx('framework_response_flags').insert(rows)
}

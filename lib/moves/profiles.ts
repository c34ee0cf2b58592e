import type { Tx } from '../../db/client'
import type { ApiClient } from '../auth/clients'
import { setProfileDocuments } from '../documents/documents'
import type { Write } from '../write'
import { DomainError, attribute } from '../errors'
import { findPerson } from './people'
import { profileDocumentIds, type AssessmentAnswer, type ProfileRow } from './rows'

/**
 * The person's active alerts as assessment answers: the question comes from the alert code
 * mapping, and a code with no mapping is an "other risk", as in the reference.
 */
export async function importedAnswers(tx: Tx, prisonNumber: string | null): Promise<AssessmentAnswer[]> {
  if (!prisonNumber) return []
  const { rows } = await tx.raw(
    `select q.id as assessment_question_id, q.key, q.title, q.category::text as category,
            a.alert_type, a.alert_code, a.alert_date::text as alert_date, a.expiry_date::text as expiry_date,
            a.comment, td.description as type_description, cd.description as code_description
     from offender_alerts a
     join assessment_questions q
       on q.id = coalesce((select m.assessment_question_id from nomis_alert_mappings m where m.alert_code = a.alert_code),
                          (select o.id from assessment_questions o where o.key = 'other_risks'))
     left join nomis_reference_codes td on td.domain = 'ALERT_TYPE' and td.code = a.alert_type
     left join nomis_reference_codes cd on cd.domain = 'ALERT_CODE' and cd.code = a.alert_code
     where a.noms_id = ? and a.status = 'ACTIVE'
     order by q.category, a.alert_date, a.id`,
    [prisonNumber],
  )
  return (rows as Record<string, string | null>[]).map(row => ({
    title: row.title!,
    comments: row.comment ?? null,
    created_at: row.alert_date ?? null,
    expires_at: row.expiry_date ?? null,
    assessment_question_id: row.assessment_question_id!,
    category: row.category!,
    key: row.key!,
    nomis_alert_type: row.alert_type ?? null,
    nomis_alert_code: row.alert_code ?? null,
    nomis_alert_type_description: row.type_description ?? null,
    nomis_alert_description: row.code_description ?? null,
    imported_from_nomis: true,
  }))
}

/** An answer given by hand (openapi.yaml ProfileWrite): the question's id and optional comments. */
export type AnswerInput = { assessment_question_id: string; comments: string | null }

/** Answers given by hand: title, key and category are copied from the question, which must exist. */
async function manualAnswers(tx: Tx, answers: AnswerInput[]): Promise<AssessmentAnswer[]> {
  const ids = [...new Set(answers.map(a => a.assessment_question_id))]
  const questions = await tx('assessment_questions')
    .select('id', 'key', 'title', tx.raw('category::text as category'))
    .whereIn('id', ids)
  const byId = new Map(questions.map(q => [q.id as string, q]))
  const unknown = answers.flatMap((a, i) =>
    byId.has(a.assessment_question_id)
      ? []
      : [
          {
            detail: `Couldn't find AssessmentQuestion with 'id'=${a.assessment_question_id}`,
            subject: attribute('assessment_answers', i, 'assessment_question_id'),
          },
        ],
  )
  if (unknown.length) throw DomainError.many('unprocessable_entity', unknown)
  return answers.map(a => {
    const q = byId.get(a.assessment_question_id)!
    return {
      title: q.title,
      comments: a.comments,
      created_at: null,
      expires_at: null,
      assessment_question_id: q.id,
      category: q.category,
      key: q.key,
      nomis_alert_type: null,
      nomis_alert_code: null,
      nomis_alert_type_description: null,
      nomis_alert_description: null,
      imported_from_nomis: false,
    }
  })
}

async function findProfile(tx: Tx, personId: string, id: string): Promise<ProfileRow> {
  const profile = await tx('profiles as p')
    .select('p.id', 'p.person_id', 'p.assessment_answers', profileDocumentIds(tx, 'p'))
    .where('p.id', id)
    .first()
  if (!profile || profile.person_id !== personId) {
    throw new DomainError('not_found', `Couldn't find Profile with 'id'=${id}`)
  }
  return profile as ProfileRow
}

/**
 * The profile's documents as its `documents` relationship sets them (lib/documents setProfileDocuments),
 * with the client that sends them, whose supplier must be able to see each; undefined leaves them as they are.
 */
export type DocumentsInput = { ids: string[]; client: Pick<ApiClient, 'supplierId'> }

/**
 * A new profile. Without answers in the request, the answers are imported from the person's
 * active alerts; answers sent are kept as given.
 */
export async function createProfile(
  w: Write,
  personId: string,
  answersInput: AnswerInput[] | undefined,
  now: Date,
  documents?: DocumentsInput,
): Promise<ProfileRow> {
  const { tx } = w
  const person = await findPerson(tx, personId)
  const answers =
    answersInput === undefined ? await importedAnswers(tx, person.prison_number) : await manualAnswers(tx, answersInput)
  const id = crypto.randomUUID()
  await tx('profiles').insert({
    id,
    person_id: personId,
    assessment_answers: JSON.stringify(answers),
    created_at: now,
    updated_at: now,
  })
  if (documents) await setProfileDocuments(w, id, documents.ids, documents.client, now)
  return findProfile(tx, personId, id)
}

/**
 * Keeps the manual answers (those sent, or else those already there) and replaces the imported
 * ones with the person's current alerts.
 */
export async function updateProfile(
  w: Write,
  personId: string,
  id: string,
  answersInput: AnswerInput[] | undefined,
  now: Date,
  documents?: DocumentsInput,
): Promise<ProfileRow> {
  const { tx } = w
  const person = await findPerson(tx, personId)
  const profile = await findProfile(tx, personId, id)
  const manual =
    answersInput === undefined
      ? profile.assessment_answers.filter(a => !a.imported_from_nomis)
      : await manualAnswers(tx, answersInput)
  const answers = [...(await importedAnswers(tx, person.prison_number)), ...manual]
  await tx('profiles')
    .where({ id })
    .update({ assessment_answers: JSON.stringify(answers), updated_at: now })
  if (documents) await setProfileDocuments(w, id, documents.ids, documents.client, now)
  return findProfile(tx, personId, id)
}

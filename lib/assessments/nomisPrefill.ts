import type { Tx } from '../../db/client'
import { londonDate } from '../clock'
import type { Framework, FrameworkQuestion } from './frameworks'
import type { NomisSyncStatus } from './rows'

/** A new response being built, as the NOMIS import fills it. */
export type NomisPrefilling = { id: string; framework_question_id: string; value: unknown; prefilled: boolean }

type Alert = {
  id: string
  alert_type: string
  alert_code: string
  description: string | null
  alert_date: string
  expiry_date: string | null
  comment: string | null
}

/**
 * The NOMIS import of a new assessment whose move leaves a prison (reference §2.6), from our own
 * prisoner records: the person's active, unexpired alerts (by prison number). Each alert is kept as a
 * framework NOMIS mapping and linked to the response of the question whose NOMIS codes name its code,
 * or else to the question that takes the alerts no question names (the fallback); an alert neither
 * matches is not kept. A response NOMIS maps to, still unanswered, is prefilled with the question's
 * "Yes" (its details then optional). The responses' rows must exist already. Answers the sync status
 * (`alerts`: success, or failed when the person has no prison number).
 */
export async function importNomisAlerts(
  tx: Tx,
  framework: Framework,
  responses: NomisPrefilling[],
  personId: string,
  now: Date,
): Promise<NomisSyncStatus[]> {
  const synced = (status: NomisSyncStatus['status'], message: string | null): NomisSyncStatus[] => [
    { resource_type: 'alerts', status, synced_at: now.toISOString(), message },
  ]
  const person = (await tx('people').where({ id: personId }).first('prison_number')) as
    | { prison_number: string | null }
    | undefined
  if (!person?.prison_number) return synced('failed', 'The person has no prison number')
  const alerts = (await tx('offender_alerts as oa')
    .leftJoin('nomis_reference_codes as rc', function () {
      this.on('rc.code', 'oa.alert_code').andOnVal('rc.domain', 'ALERT_CODE')
    })
    .where({ 'oa.noms_id': person.prison_number, 'oa.status': 'ACTIVE' })
    .where(q => q.whereNull('oa.expiry_date').orWhere('oa.expiry_date', '>=', londonDate(now)))
    .orderBy('oa.id')
    .select(
      tx.raw('oa.id::text as id'),
      'oa.alert_type',
      'oa.alert_code',
      'rc.description',
      tx.raw('oa.alert_date::text as alert_date'),
      tx.raw('oa.expiry_date::text as expiry_date'),
      'oa.comment',
    )) as Alert[]
  const codes = framework.nomisCodes.filter(c => c.code_type === 'alert')
  const fallback = codes.find(c => c.fallback)
  const byQuestion = new Map(responses.map(r => [r.framework_question_id, r]))
  const questions = new Map(framework.questions.map(q => [q.id, q]))
  const mappings: Record<string, unknown>[] = []
  const links: { framework_response_id: string; framework_nomis_mapping_id: string }[] = []
  for (const alert of alerts) {
    const code = codes.find(c => c.code === alert.alert_code) ?? fallback
    const response = code && byQuestion.get(code.framework_question_id)
    if (!response) continue
    const id = crypto.randomUUID()
    mappings.push({
      id,
      code: alert.alert_code,
      code_type: 'alert',
      code_description: alert.description,
      comments: alert.comment,
      start_date: alert.alert_date,
      creation_date: alert.alert_date,
      expiry_date: alert.expiry_date,
      raw_nomis_mapping: JSON.stringify(alert),
      created_at: now,
    })
    links.push({ framework_response_id: response.id, framework_nomis_mapping_id: id })
    const value = response.value === null ? yes(questions.get(response.framework_question_id)!) : null
    if (value !== null) {
      response.value = value
      response.prefilled = true
      await tx('framework_responses')
        .where({ id: response.id })
        .update({ value: JSON.stringify(value), prefilled: true })
    }
  }
  if (mappings.length) {
    await tx('framework_nomis_mappings').insert(mappings)
    await tx('framework_response_nomis_mappings').insert(links)
  }
  return synced('success', null)
}

/** The "Yes" answer of a radio question offering it, in its value shape; null for any other question. */
function yes(question: FrameworkQuestion): unknown {
  if (question.question_type !== 'radio' || !question.options.includes('Yes')) return null
  return question.followup_comment ? { option: 'Yes' } : 'Yes'
}

import type { Knex } from 'knex'

/**
 * The prisoner of the Book a Secure Move walkthrough (seed 001), with the alerts its imported
 * profile shows, so that the walkthrough's requests answer as documented on a fresh start.
 */
export const walkthroughPrisoner = {
  noms_id: 'G8133UA',
  given_name: 'DOMSANIGH',
  surname: 'CASEDY',
  date_of_birth: '1995-11-17',
  gender_code: 'M',
  ethnicity_code: 'W1',
  cro_number: '351774/14D',
  pnc_number: '14/120018R',
  prison_id: 'BSI',
  convicted: true,
  custody_status: 'IN',
}

const alerts = [
  {
    alert_type: 'P',
    alert_code: 'P0',
    alert_date: '2014-10-17',
    expiry_date: '2015-11-04',
    comment: 'lAzCdJPxAuYiYJlAzCdJPxAuYiYJ',
  },
  { alert_type: 'R', alert_code: 'ROM', alert_date: '2015-02-22', expiry_date: null, comment: null },
  {
    alert_type: 'P',
    alert_code: 'PC2',
    alert_date: '2017-02-03',
    expiry_date: null,
    comment: 'HRErJMfhUuLHisGPkEhGRpvHSvjfHHRErJMfhUuLHisGPkEhGRpvHSvjfH',
  },
  { alert_type: 'DISAB', alert_code: 'ND', alert_date: '2014-07-28', expiry_date: null, comment: null },
  { alert_type: 'DISAB', alert_code: 'ND', alert_date: '2014-07-31', expiry_date: null, comment: null },
  { alert_type: 'DISAB', alert_code: 'ND', alert_date: '2014-10-16', expiry_date: null, comment: null },
]

/** NOMIS descriptions of the alert types (domain ALERT_TYPE) and codes (domain ALERT_CODE) used above. */
const alertCodes = [
  { domain: 'ALERT_TYPE', code: 'P', description: 'MAPPP Case' },
  { domain: 'ALERT_TYPE', code: 'R', description: 'Risk' },
  { domain: 'ALERT_TYPE', code: 'DISAB', description: 'Unknown' },
  { domain: 'ALERT_CODE', code: 'P0', description: 'MAPPA Nominal' },
  { domain: 'ALERT_CODE', code: 'PC2', description: 'MAPPA Cat 2' },
  { domain: 'ALERT_CODE', code: 'ROM', description: 'OASys Serious Harm-Medium' },
  { domain: 'ALERT_CODE', code: 'ND', description: 'No Disability' },
]

export async function seedWalkthroughPrisoner(tx: Knex.Transaction): Promise<void> {
  await tx('nomis_reference_codes').insert(alertCodes).onConflict(['domain', 'code']).ignore()
  // The reference imports disabilities as personal care needs (health answers); our prisoner
  // records hold them as DISAB alerts, so the code maps to the question the walkthrough shows.
  const healthIssue = await tx('assessment_questions').where({ key: 'health_issue' }).first('id')
  await tx('nomis_alert_mappings')
    .insert({ alert_code: 'ND', assessment_question_id: healthIssue.id })
    .onConflict('alert_code')
    .ignore()
  const inserted = await tx('offenders').insert(walkthroughPrisoner).onConflict('noms_id').ignore().returning('noms_id')
  if (inserted.length) {
    await tx('offender_alerts').insert(
      alerts.map(a => ({ ...a, noms_id: walkthroughPrisoner.noms_id, status: 'ACTIVE' })),
    )
  }
}

import type { Knex } from 'knex'
import { DEFAULT_AMOUNTS } from '../../lib/visits/rules'

/** Visit allocation switched on for BMI and LEI, with their amounts per level, and the seed's prisoner. */
export async function seedVisits(tx: Knex.Transaction): Promise<void> {
  const prisons: string[] = await tx('prisons').pluck('prison_id')
  await tx('visit_allocation_prisons').insert(
    prisons.map(prison_code => ({ prison_code, allocation_enabled: ['BMI', 'LEI'].includes(prison_code) })),
  )
  await tx('visit_incentive_amounts').insert(
    ['BMI', 'LEI'].flatMap(prison_code =>
      Object.entries(DEFAULT_AMOUNTS).map(([level_code, a]) => ({
        prison_code,
        level_code,
        visit_orders: a.visitOrders,
        privileged_visit_orders: a.privilegedVisitOrders,
      })),
    ),
  )
  // The prisoner of the seed's example event; the prisoner-records demo data does not include them.
  await tx('offenders')
    .insert({
      noms_id: 'A8713DY',
      given_name: 'DEMO',
      surname: 'VISITOR',
      date_of_birth: '1985-06-15',
      gender_code: 'M',
      convicted: true,
      iep_level_code: 'STD',
      prison_id: 'BMI',
      custody_status: 'IN',
    })
    .onConflict('noms_id')
    .ignore()
}

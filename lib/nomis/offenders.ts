import type { Tx } from '../../db/client'
import { DomainError } from '../errors'
import { codeDescriber } from '../prisonerRecords/codes'
import { requirePrison } from './finance'

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>
}

type Offender = Record<string, string | boolean | null>

async function offender(tx: Tx, nomsId: string): Promise<Offender> {
  const row = await tx('offenders')
    .where({ noms_id: nomsId })
    .first('*', tx.raw(`to_char(date_of_birth, 'YYYY-MM-DD') as dob`))
  if (!row) throw new DomainError('not_found', 'Offender Not Found')
  return row
}

export async function offenderDetails(tx: Tx, nomsId: string) {
  const o = await offender(tx, nomsId)
  const aliases: Record<string, string | null>[] = await tx('offender_aliases')
    .where({ noms_id: nomsId })
    .orderBy('id')
    .select('given_name', 'middle_names', 'surname', tx.raw(`to_char(date_of_birth, 'YYYY-MM-DD') as date_of_birth`))
  const fields = [
    ['GENDER', 'gender_code'],
    ['RELIGION', 'religion_code'],
    ['ETHNICITY', 'ethnicity_code'],
    ['LANGUAGE', 'language_code'],
    ['CSRA', 'csra_code'],
    ['IMPRISONMENT_STATUS', 'imprisonment_status_code'],
    ['IEP_LEVEL', 'iep_level_code'],
    ['DIET', 'diet_code'],
    ['SECURITY_CATEGORY', 'security_category_code'],
  ] as const
  const d = await codeDescriber(
    tx,
    fields.map(([domain, column]) => [domain, o[column] as string | null]),
  )
  const code = (i: number) => d(fields[i]![0], o[fields[i]![1]] as string | null)
  return compact({
    given_name: o.given_name,
    middle_names: o.middle_names,
    surname: o.surname,
    title: o.title,
    suffix: o.suffix,
    date_of_birth: o.dob,
    aliases: aliases.map(a => compact(a)),
    gender: code(0),
    nationalities: o.nationalities,
    religion: code(1),
    ethnicity: code(2),
    language: compact({ preferred_spoken: code(3), interpreter_required: o.interpreter_required }),
    csra: code(4),
    convicted: o.convicted,
    cro_number: o.cro_number,
    pnc_number: o.pnc_number,
    imprisonment_status: code(5),
    iep_level: code(6),
    diet: code(7),
    security_category: code(8),
  })
}

const LEVEL_TYPES = ['Wing', 'Landing', 'Cell', 'Bed']

export async function offenderLocation(tx: Tx, nomsId: string) {
  const o = await offender(tx, nomsId)
  if (o.custody_status === 'OUT' || !o.prison_id) return { establishment: { code: 'OUT', desc: 'OUTSIDE' } }
  if (o.custody_status === 'TRN') return { establishment: { code: 'TRN', desc: 'TRANSFER' } }
  const prison = await requirePrison(tx, o.prison_id as string)
  const establishment = { code: prison.prison_id, desc: prison.description }
  const housing = o.housing_location as string | null
  if (!housing) return { establishment }
  const [, ...levels] = housing.split('-')
  return {
    establishment,
    housing_location: {
      description: housing,
      levels: levels.map((value, i) => ({ type: LEVEL_TYPES[i] ?? 'Level', value })),
    },
  }
}

export async function offenderImage(tx: Tx, nomsId: string) {
  const o = await offender(tx, nomsId)
  return { image: (o.image_base64 as string | null) ?? null }
}

/**
 * Bookings: the active one first, then by start date, latest first. Legal cases: active first, then
 * latest start first. Charges: most serious active first, other active ones, then inactive ones.
 */
export async function offenderCharges(tx: Tx, nomsId: string) {
  await offender(tx, nomsId)
  const bookings: { id: number; booking_no: string; active: boolean; start_date: string }[] = await tx(
    'offender_bookings',
  )
    .where({ noms_id: nomsId })
    .orderBy([
      { column: 'active', order: 'desc' },
      { column: 'start_date', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .select('id', 'booking_no', 'active', tx.raw(`to_char(start_date, 'YYYY-MM-DD') as start_date`))
  const cases: Record<string, unknown>[] = bookings.length
    ? await tx('offender_legal_cases')
        .whereIn(
          'booking_id',
          bookings.map(b => b.id),
        )
        .orderBy([
          { column: 'active', order: 'desc' },
          { column: 'start_date', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .select('*', tx.raw(`to_char(start_date, 'YYYY-MM-DD') as started`))
    : []
  const charges: Record<string, unknown>[] = cases.length
    ? await tx('offender_charges')
        .whereIn(
          'legal_case_id',
          cases.map(c => c.id as number),
        )
        .orderByRaw('active desc, (active and most_serious) desc, id')
    : []
  const pair = (c: Record<string, unknown>, name: string) =>
    c[`${name}_code`] ? { code: c[`${name}_code`], desc: c[`${name}_desc`] } : undefined
  return {
    bookings: bookings.map(b => ({
      booking_no: b.booking_no,
      booking_active: b.active,
      booking_started: b.start_date,
      legal_cases: cases
        .filter(c => Number(c.booking_id) === Number(b.id))
        .map(c => ({
          case_active: c.active,
          case_started: c.started,
          court: { code: c.court_code, desc: c.court_desc },
          legal_case_type: { code: c.case_type_code, desc: c.case_type_desc },
          charges: charges
            .filter(ch => Number(ch.legal_case_id) === Number(c.id))
            .map(ch =>
              compact({
                statute: pair(ch, 'statute'),
                offence: pair(ch, 'offence'),
                most_serious: ch.most_serious,
                charge_active: ch.active,
                severity_ranking: ch.severity_ranking,
                result: pair(ch, 'result'),
                disposition: pair(ch, 'disposition'),
                convicted: ch.convicted,
                imprisonment_status: pair(ch, 'imprisonment_status'),
                band: pair(ch, 'band'),
              }),
            ),
        })),
    })),
  }
}

/**
 * Active alerts first, then inactive ones, each by alert date ascending. `modifiedSince` is a real
 * `yyyy-MM-dd[( |T)HH:mm[:ss[.SSS]]]` (London time), as the seed lists and the edge has checked.
 */
export async function offenderAlerts(
  tx: Tx,
  nomsId: string,
  filter: { modifiedSince?: string; alertType?: string; includeInactive?: boolean },
) {
  await offender(tx, nomsId)
  const query = tx('offender_alerts')
    .where({ noms_id: nomsId })
    .select(
      '*',
      tx.raw(`to_char(alert_date, 'YYYY-MM-DD') as alert_day`),
      tx.raw(`to_char(expiry_date, 'YYYY-MM-DD') as expiry_day`),
    )
    .orderByRaw(`status = 'ACTIVE' desc, alert_date, id`)
  if (filter.includeInactive !== true) query.where({ status: 'ACTIVE' })
  if (filter.alertType) query.whereRaw('upper(alert_type) = upper(?)', [filter.alertType])
  // NOMIS times are London local time; the database converts them, summer time included.
  if (filter.modifiedSince) {
    query.whereRaw(`updated_at >= (?::timestamp AT TIME ZONE 'Europe/London')`, [
      filter.modifiedSince.replace('T', ' '),
    ])
  }
  const rows: Record<string, string | null>[] = await query
  const d = await codeDescriber(
    tx,
    rows.flatMap(r => [
      ['ALERT_TYPE', r.alert_type],
      ['ALERT_CODE', r.alert_code],
    ]),
  )
  return {
    alerts: rows.map(r =>
      compact({
        alert_type: d('ALERT_TYPE', r.alert_type),
        alert_sub_type: d('ALERT_CODE', r.alert_code),
        alert_date: r.alert_day,
        expiry_date: r.expiry_day,
        status: r.status,
        comment: r.comment,
      }),
    ),
  }
}

/** The digital prison's roll: who is in it now. */
export async function liveRoll(tx: Tx, prisonId: string) {
  const prison = await requirePrison(tx, prisonId)
  if (prison.establishment_type !== 'DIG')
    throw new DomainError('unprocessable_entity', 'Prison is not a digital prison')
  const rows: { noms_id: string }[] = await tx('offenders')
    .where({ prison_id: prisonId, custody_status: 'IN' })
    .orderBy('noms_id')
    .select('noms_id')
  return { noms_ids: rows.map(r => r.noms_id) }
}

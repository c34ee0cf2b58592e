import type { Tx } from '../../db/client'
import type { Write } from '../write'
import { londonToday } from '../clock'
import { DomainError } from '../errors'
import { canonicalIdentifier } from '../identifiers'
import { moveFunds } from '../nomis/finance'
import { codeDescriber, requireCodes, type CodeDesc } from './codes'
import { recordOffenderEvent } from './events'

/**
 * Records in: the operator's use cases that load and change prisoner records. Each runs inside the
 * caller's transaction and writes its event-feed rows through recordOffenderEvent.
 */

export const SUB_ACCOUNTS = ['SPND', 'REG', 'SAV'] as const

export type PersonalDetails = {
  title?: string | null
  given_name: string
  middle_names?: string | null
  surname: string
  suffix?: string | null
  date_of_birth: string
  gender_code?: string | null
  ethnicity_code?: string | null
  religion_code?: string | null
  nationalities?: string | null
  language_code?: string | null
  interpreter_required?: boolean
  cro_number?: string | null
  pnc_number?: string | null
  diet_code?: string | null
  csra_code?: string | null
  security_category_code?: string | null
}

export type Reception = PersonalDetails & {
  noms_id: string
  prison_id: string
  housing_location?: string | null
  convicted?: boolean
  imprisonment_status_code?: string | null
  iep_level_code?: string | null
  personal_officer?: string | null
  booking_no?: string
  arrived_at?: string
  image_base64?: string | null
  aliases?: { given_name: string; middle_names?: string | null; surname: string; date_of_birth?: string | null }[]
}

type OffenderRow = PersonalDetails & {
  noms_id: string
  prison_id: string | null
  custody_status: 'IN' | 'TRN' | 'OUT'
  housing_location: string | null
  convicted: boolean
  imprisonment_status_code: string | null
  iep_level_code: string | null
  personal_officer: string | null
}

const PERSONAL_FIELDS = [
  'title',
  'given_name',
  'middle_names',
  'surname',
  'suffix',
  'date_of_birth',
  'gender_code',
  'ethnicity_code',
  'religion_code',
  'nationalities',
  'language_code',
  'interpreter_required',
  'cro_number',
  'pnc_number',
  'diet_code',
  'csra_code',
  'security_category_code',
] as const

function personalCodes(d: Partial<PersonalDetails>): [string, string | null | undefined, string][] {
  return [
    ['GENDER', d.gender_code, 'gender_code'],
    ['ETHNICITY', d.ethnicity_code, 'ethnicity_code'],
    ['RELIGION', d.religion_code, 'religion_code'],
    ['LANGUAGE', d.language_code, 'language_code'],
    ['DIET', d.diet_code, 'diet_code'],
    ['CSRA', d.csra_code, 'csra_code'],
    ['SECURITY_CATEGORY', d.security_category_code, 'security_category_code'],
  ]
}

/** PNC and CRO numbers as they are stored: trimmed and upper case (lib/identifiers.ts). */
function withCanonicalIdentifiers(fields: Record<string, unknown>): Record<string, unknown> {
  const canonical = { ...fields }
  for (const name of ['cro_number', 'pnc_number'] as const) {
    if (typeof canonical[name] === 'string') canonical[name] = canonicalIdentifier(canonical[name])
  }
  return canonical
}

export async function lockOffender(tx: Tx, nomsId: string): Promise<OffenderRow> {
  const row = await tx<OffenderRow>('offenders').where({ noms_id: nomsId }).forUpdate().first()
  if (!row) throw new DomainError('not_found', 'Offender Not Found')
  return row
}

async function requirePrison(tx: Tx, prisonId: string): Promise<{ prison_id: string; description: string }> {
  const prison = await tx('prisons').where({ prison_id: prisonId }).first('prison_id', 'description')
  if (!prison) throw new DomainError('not_found', 'Prison Not Found')
  return prison
}

/** A unique violation (23505) is a conflict with another record, not a server error. */
async function conflictAs409(message: string, query: PromiseLike<unknown>): Promise<void> {
  try {
    await query
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new DomainError('conflict', message)
    throw err
  }
}

function sentenceStatus(convicted: boolean): string {
  return convicted ? 'Convicted' : 'Remand'
}

/** A prisoner arrives at a prison: new, returning from release, or completing a transfer. */
export async function receiveOffender(w: Write, input: Reception): Promise<void> {
  const { tx, clock } = w
  await requirePrison(tx, input.prison_id)
  await requireCodes(tx, [
    ...personalCodes(input),
    ['IMPRISONMENT_STATUS', input.imprisonment_status_code, 'imprisonment_status_code'],
    ['IEP_LEVEL', input.iep_level_code, 'iep_level_code'],
  ])
  const existing = await tx<OffenderRow>('offenders').where({ noms_id: input.noms_id }).forUpdate().first()
  if (existing?.custody_status === 'IN') {
    throw new DomainError(
      'unprocessable_entity',
      `Offender is already in ${existing.prison_id}; transfer them out first`,
    )
  }
  const now = clock.now()
  const personal = withCanonicalIdentifiers(
    Object.fromEntries(PERSONAL_FIELDS.filter(f => input[f] !== undefined).map(f => [f, input[f]])),
  ) as Partial<PersonalDetails>
  const custody = {
    prison_id: input.prison_id,
    custody_status: 'IN',
    housing_location: input.housing_location ?? null,
    updated_at: now,
    ...(input.convicted !== undefined ? { convicted: input.convicted } : {}),
    ...(input.imprisonment_status_code !== undefined
      ? { imprisonment_status_code: input.imprisonment_status_code }
      : {}),
    ...(input.iep_level_code !== undefined ? { iep_level_code: input.iep_level_code } : {}),
    ...(input.personal_officer !== undefined ? { personal_officer: input.personal_officer } : {}),
    ...(input.image_base64 !== undefined ? { image_base64: input.image_base64 } : {}),
  }
  if (existing) {
    await tx('offenders')
      .where({ noms_id: input.noms_id })
      .update({ ...personal, ...custody })
  } else {
    await conflictAs409(
      `Offender ${input.noms_id} was received by another request`,
      tx('offenders').insert({
        noms_id: input.noms_id,
        ...personal,
        iep_level_code: 'STD',
        ...custody,
        created_at: now,
      }),
    )
  }
  if (input.aliases?.length) {
    await tx('offender_aliases').insert(input.aliases.map(a => ({ ...a, noms_id: input.noms_id })))
  }

  await tx('offender_bookings').where({ noms_id: input.noms_id, active: true }).update({ active: false })
  // The booking number comes from the booking's own id, so concurrent receptions never share one.
  const next = await tx.raw(`SELECT nextval('offender_bookings_id_seq') AS id`)
  const bookingId = Number(next.rows[0].id)
  await conflictAs409(
    `Booking number ${input.booking_no} is already in use`,
    tx('offender_bookings').insert({
      id: bookingId,
      noms_id: input.noms_id,
      booking_no: input.booking_no ?? `B${String(bookingId).padStart(5, '0')}`,
      active: true,
      start_date: (input.arrived_at ?? londonToday(clock)).slice(0, 10),
      prison_id: input.prison_id,
    }),
  )
  const fundsFrom = existing?.custody_status === 'TRN' ? existing.prison_id : null
  await openTrustAccount(w, input.noms_id, input.prison_id, fundsFrom)

  await recordOffenderEvent(w, {
    type: 'RECEPTION',
    nomsId: input.noms_id,
    prisonId: input.prison_id,
    payload: await offenderDetailsPayload(tx, input.noms_id, input.arrived_at ? new Date(input.arrived_at) : now),
    domainEvent: {
      eventType: 'prisoner-offender-search.prisoner.received',
      additionalInformation: {
        nomsNumber: input.noms_id,
        prisonId: input.prison_id,
        reason: !existing ? 'NEW_ADMISSION' : existing.custody_status === 'TRN' ? 'TRANSFERRED' : 'READMISSION',
      },
    },
  })
}

/** The full picture of a prisoner that a RECEPTION event (and the PSS detail request) carries. */
export async function offenderDetailsPayload(tx: Tx, nomsId: string, arrivedAt?: Date) {
  const offender = (await tx('offenders')
    .where({ noms_id: nomsId })
    .first('*', tx.raw(`to_char(date_of_birth, 'YYYY-MM-DD') as dob`))) as OffenderRow & { dob: string }
  const alerts = await tx('offender_alerts')
    .where({ noms_id: nomsId, status: 'ACTIVE' })
    .orderBy('id')
    .select('*', tx.raw(`to_char(alert_date, 'YYYY-MM-DD') as alert_date`))
  const describe = await codeDescriber(tx, [
    ['GENDER', offender.gender_code],
    ['DIET', offender.diet_code],
    ['RELIGION', offender.religion_code],
    ['SECURITY_CATEGORY', offender.security_category_code],
    ['LANGUAGE', offender.language_code],
    ['ETHNICITY', offender.ethnicity_code],
    ['IMPRISONMENT_STATUS', offender.imprisonment_status_code],
    ['IEP_LEVEL', offender.iep_level_code],
    ...alerts.flatMap(a => [
      ['ALERT_TYPE', a.alert_type] as [string, string],
      ['ALERT_CODE', a.alert_code] as [string, string],
    ]),
  ])
  return {
    offender_details: {
      personal_details: compact({
        offender_surname: offender.surname,
        offender_given_name_1: offender.given_name,
        offender_dob: `${offender.dob} 00:00:00`,
        gender: describe('GENDER', offender.gender_code),
        diet: describe('DIET', offender.diet_code),
        religion: describe('RELIGION', offender.religion_code),
        security_category: describe('SECURITY_CATEGORY', offender.security_category_code),
        nationality: offender.nationalities ?? undefined,
        language: describe('LANGUAGE', offender.language_code),
        ethnicity: describe('ETHNICITY', offender.ethnicity_code),
      }),
      sentence_information: compact({
        reception_arrival_date_and_time: arrivedAt ? londonDateTime(arrivedAt).slice(0, 19) : undefined,
        status: sentenceStatus(offender.convicted),
        imprisonment_status: describe('IMPRISONMENT_STATUS', offender.imprisonment_status_code),
      }),
      location: compact({ agency_location: offender.prison_id, internal_location: offender.housing_location }),
      warnings: alerts.map(a => warning(describe, a)),
      entitlement: compact({ canteen_adjudication: false, iep_level: describe('IEP_LEVEL', offender.iep_level_code) }),
    },
    case_details: compact({ personal_officer: offender.personal_officer ?? undefined }),
  }
}

/** Opens (or reopens) the trust account at a prison; after a transfer the money follows the prisoner. */
async function openTrustAccount(w: Write, nomsId: string, prisonId: string, fundsFrom: string | null) {
  const { tx } = w
  await tx('trust_accounts')
    .insert({ noms_id: nomsId, prison_id: prisonId, closed: false })
    .onConflict(['noms_id', 'prison_id'])
    .merge({ closed: false })
  await tx('sub_accounts')
    .insert(SUB_ACCOUNTS.map(code => ({ noms_id: nomsId, prison_id: prisonId, account_code: code })))
    .onConflict(['noms_id', 'prison_id', 'account_code'])
    .ignore()
  if (fundsFrom && fundsFrom !== prisonId) {
    await moveFunds(w, nomsId, fundsFrom, prisonId)
    await tx('trust_accounts').where({ noms_id: nomsId, prison_id: fundsFrom }).update({ closed: true })
  }
}

/** The prisoner leaves for another prison; they are in transit until received there. */
export async function transferOut(w: Write, nomsId: string): Promise<void> {
  const { tx, clock } = w
  const offender = await lockOffender(tx, nomsId)
  if (offender.custody_status !== 'IN') throw new DomainError('unprocessable_entity', 'Offender is not in a prison')
  await tx('offenders')
    .where({ noms_id: nomsId })
    .update({ custody_status: 'TRN', housing_location: null, updated_at: clock.now() })
  await dischargeEvent(w, offender, 'TRN')
}

/** The prisoner is released: the booking ends and the trust account closes. */
export async function dischargeOffender(w: Write, nomsId: string, reasonCode: string): Promise<void> {
  const { tx, clock } = w
  await requireCodes(tx, [['DISCHARGE_REASON', reasonCode, 'reason_code']])
  const offender = await lockOffender(tx, nomsId)
  if (offender.custody_status === 'OUT') throw new DomainError('unprocessable_entity', 'Offender is already released')
  await tx('offenders')
    .where({ noms_id: nomsId })
    .update({ custody_status: 'OUT', prison_id: null, housing_location: null, updated_at: clock.now() })
  await tx('offender_bookings').where({ noms_id: nomsId, active: true }).update({ active: false })
  if (offender.prison_id) {
    await tx('trust_accounts').where({ noms_id: nomsId, prison_id: offender.prison_id }).update({ closed: true })
  }
  await dischargeEvent(w, offender, reasonCode)
}

async function dischargeEvent(w: Write, offender: OffenderRow, reasonCode: string) {
  const { tx, clock } = w
  const describe = await codeDescriber(tx, [['DISCHARGE_REASON', reasonCode]])
  await recordOffenderEvent(w, {
    type: 'DISCHARGE',
    nomsId: offender.noms_id,
    prisonId: offender.prison_id,
    payload: {
      discharge_status: {
        discharge_datetime: londonDateTime(clock.now()).slice(0, 19),
        discharge_reason: describe('DISCHARGE_REASON', reasonCode),
      },
    },
  })
}

export type NewAlert = {
  alert_type: string
  alert_code: string
  alert_date: string
  expiry_date?: string | null
  comment?: string | null
}

type AlertRow = NewAlert & { id: number; status: 'ACTIVE' | 'INACTIVE' }

function warning(
  describe: (d: string, c: string) => CodeDesc | undefined,
  a: { alert_type: string; alert_code: string; alert_date: string | Date; status: string },
) {
  return {
    warning_type: describe('ALERT_TYPE', a.alert_type),
    warning_sub_type: describe('ALERT_CODE', a.alert_code),
    warning_date: `${isoDate(a.alert_date)} 00:00:00`,
    status: a.status,
  }
}

async function alertEvent(w: Write, offender: OffenderRow, alert: AlertRow) {
  const { tx } = w
  const describe = await codeDescriber(tx, [
    ['ALERT_TYPE', alert.alert_type],
    ['ALERT_CODE', alert.alert_code],
  ])
  await recordOffenderEvent(w, {
    type: 'ALERT',
    nomsId: offender.noms_id,
    prisonId: offender.prison_id,
    payload: { offender_details: { warnings: [warning(describe, alert)] } },
  })
}

export async function addAlert(w: Write, nomsId: string, alert: NewAlert): Promise<number> {
  const { tx, clock } = w
  await requireCodes(tx, [
    ['ALERT_TYPE', alert.alert_type, 'alert_type'],
    ['ALERT_CODE', alert.alert_code, 'alert_code'],
  ])
  const offender = await lockOffender(tx, nomsId)
  const now = clock.now()
  const today = londonToday(clock)
  const status = alert.expiry_date && alert.expiry_date <= today ? 'INACTIVE' : 'ACTIVE'
  const [row] = await tx('offender_alerts')
    .insert({ noms_id: nomsId, ...alert, status, created_at: now, updated_at: now })
    .returning('*')
  await alertEvent(w, offender, row as AlertRow)
  return Number((row as AlertRow).id)
}

/** Ends an alert: it expires today (or on the given date) and becomes INACTIVE. */
export async function closeAlert(w: Write, nomsId: string, alertId: number, expiryDate?: string): Promise<void> {
  const { tx, clock } = w
  const offender = await lockOffender(tx, nomsId)
  const [row] = await tx('offender_alerts')
    .where({ id: alertId, noms_id: nomsId, status: 'ACTIVE' })
    .update({ status: 'INACTIVE', expiry_date: expiryDate ?? londonToday(clock), updated_at: clock.now() })
    .returning('*')
  if (!row) throw new DomainError('not_found', 'Active alert not found')
  await alertEvent(w, offender, row as AlertRow)
}

export async function changeIepLevel(w: Write, nomsId: string, iepLevelCode: string): Promise<void> {
  const { tx, clock } = w
  await requireCodes(tx, [['IEP_LEVEL', iepLevelCode, 'iep_level_code']])
  const offender = await lockOffender(tx, nomsId)
  await tx('offenders').where({ noms_id: nomsId }).update({ iep_level_code: iepLevelCode, updated_at: clock.now() })
  const describe = await codeDescriber(tx, [['IEP_LEVEL', iepLevelCode]])
  await recordOffenderEvent(w, {
    type: 'IEP_CHANGED',
    nomsId,
    prisonId: offender.prison_id,
    payload: { offender_details: { entitlement: { iep_level: describe('IEP_LEVEL', iepLevelCode) } } },
  })
}

export async function moveCell(w: Write, nomsId: string, housingLocation: string): Promise<void> {
  const { tx, clock } = w
  const offender = await lockOffender(tx, nomsId)
  if (offender.custody_status !== 'IN') throw new DomainError('unprocessable_entity', 'Offender is not in a prison')
  await tx('offenders')
    .where({ noms_id: nomsId })
    .update({ housing_location: housingLocation, updated_at: clock.now() })
  await recordOffenderEvent(w, {
    type: 'INTERNAL_LOCATION_CHANGED',
    nomsId,
    prisonId: offender.prison_id,
    payload: { offender_details: { location: { internal_location: housingLocation } } },
  })
}

export async function changePersonalOfficer(w: Write, nomsId: string, officer: string): Promise<void> {
  const { tx, clock } = w
  const offender = await lockOffender(tx, nomsId)
  await tx('offenders').where({ noms_id: nomsId }).update({ personal_officer: officer, updated_at: clock.now() })
  await recordOffenderEvent(w, {
    type: 'PERSONAL_OFFICER_CHANGED',
    nomsId,
    prisonId: offender.prison_id,
    payload: { offender_details: { case_details: { personal_officer: officer } } },
  })
}

export async function changeSentenceInformation(
  w: Write,
  nomsId: string,
  change: { convicted: boolean; imprisonment_status_code: string },
): Promise<void> {
  const { tx, clock } = w
  await requireCodes(tx, [['IMPRISONMENT_STATUS', change.imprisonment_status_code, 'imprisonment_status_code']])
  const offender = await lockOffender(tx, nomsId)
  await tx('offenders')
    .where({ noms_id: nomsId })
    .update({ ...change, updated_at: clock.now() })
  const describe = await codeDescriber(tx, [['IMPRISONMENT_STATUS', change.imprisonment_status_code]])
  await recordOffenderEvent(w, {
    type: 'SENTENCE_INFORMATION_CHANGED',
    nomsId,
    prisonId: offender.prison_id,
    ...(offender.convicted !== change.convicted && {
      domainEvent: {
        eventType: 'prisoner-offender-search.prisoner.convicted-status-changed',
        additionalInformation: { nomsNumber: nomsId, convictedStatus: change.convicted ? 'Convicted' : 'Remand' },
      },
    }),
    payload: {
      offender_details: {
        sentence_information: {
          status: sentenceStatus(change.convicted),
          imprisonment_status: describe('IMPRISONMENT_STATUS', change.imprisonment_status_code),
        },
      },
    },
  })
}

/** Names, date of birth and the personal code fields; the feed carries no personal data, as NOMIS's does not. */
export async function changePersonalDetails(w: Write, nomsId: string, change: Partial<PersonalDetails>): Promise<void> {
  const { tx, clock } = w
  await requireCodes(tx, personalCodes(change))
  const offender = await lockOffender(tx, nomsId)
  const fields = withCanonicalIdentifiers(
    Object.fromEntries(PERSONAL_FIELDS.filter(f => change[f] !== undefined).map(f => [f, change[f]])),
  )
  await tx('offenders')
    .where({ noms_id: nomsId })
    .update({ ...fields, updated_at: clock.now() })
  await recordOffenderEvent(w, {
    type: 'PERSONAL_DETAILS_CHANGED',
    nomsId,
    prisonId: offender.prison_id,
    payload: { offender_details: { personal_details: {} } },
  })
}

/**
 * Renumbers a prisoner: every record follows the new id (ON UPDATE CASCADE); the NOMS_ID_CHANGED
 * event is filed under the old id, where feed clients still know the prisoner.
 */
export async function changeNomsId(w: Write, oldNomsId: string, newNomsId: string): Promise<void> {
  const { tx, clock } = w
  const offender = await lockOffender(tx, oldNomsId)
  if (await tx('offenders').where({ noms_id: newNomsId }).first('noms_id')) {
    throw new DomainError('conflict', `NOMS id ${newNomsId} is already in use`)
  }
  await tx('offenders').where({ noms_id: oldNomsId }).update({ noms_id: newNomsId, updated_at: clock.now() })
  await recordOffenderEvent(w, {
    type: 'NOMS_ID_CHANGED',
    nomsId: oldNomsId,
    prisonId: offender.prison_id,
    payload: { noms_id_change: { old_noms_id: oldNomsId, new_noms_id: newNomsId } },
    // Visit allocation carries the old number's balance over to the new one, as for a merge.
    domainEvent: {
      eventType: 'prison-offender-events.prisoner.merged',
      additionalInformation: { nomsNumber: newNomsId, removedNomsNumber: oldNomsId },
    },
  })
}

export type NewLegalCase = {
  active: boolean
  start_date: string
  court_code: string
  court_desc: string
  case_type_code: string
  case_type_desc: string
  charges: Record<string, string | boolean | null>[]
}

/** A legal case with its charges, on the prisoner's active booking. */
export async function addLegalCase(tx: Tx, nomsId: string, legalCase: NewLegalCase): Promise<void> {
  await lockOffender(tx, nomsId)
  const booking = await tx('offender_bookings').where({ noms_id: nomsId, active: true }).first('id')
  if (!booking) throw new DomainError('unprocessable_entity', 'Offender has no active booking')
  const { charges, ...fields } = legalCase
  const [row] = await tx('offender_legal_cases')
    .insert({ ...fields, booking_id: booking.id })
    .returning('id')
  if (charges.length) {
    await tx('offender_charges').insert(charges.map(c => ({ ...c, legal_case_id: (row as { id: number }).id })))
  }
}

/** PGlite hands date columns back as Date objects where pg gives strings (db/client.ts). */
function isoDate(value: string | Date): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : value
}

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>
}

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hourCycle: 'h23',
})

/** NOMIS writes local London time as `yyyy-MM-dd HH:mm:ss.SSS`. */
export function londonDateTime(at: Date): string {
  const p = Object.fromEntries(londonFormat.formatToParts(at).map(part => [part.type, part.value]))
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${p.fractionalSecond}`
}

import type { Write } from '../../lib/write'
import { systemClock } from '../../lib/clock'
import { post, nextTransactionId, addHold } from '../../lib/nomis/finance'
import { referenceCodeRows } from '../../lib/prisonerRecords/codes'
import {
  addAlert,
  addLegalCase,
  changeIepLevel,
  closeAlert,
  dischargeOffender,
  receiveOffender,
  transferOut,
  type Reception,
} from '../../lib/prisonerRecords/records'
import { prisons } from '../../db/seeds/referenceData'

/** NOMIS transaction types the API posts, with usage (Receipt/Disbursement) and sub-account. */
export const transactionTypes = [
  { code: 'CANT', description: 'Canteen Spend', usage: 'D', account_code: 'SPND', digitalOnly: true },
  { code: 'REFND', description: 'Canteen Refund', usage: 'R', account_code: 'SPND', digitalOnly: true },
  { code: 'PHONE', description: 'Phone Credit', usage: 'D', account_code: 'SPND', digitalOnly: true },
  { code: 'MRPR', description: 'Misc Receipt - Private Cash', usage: 'R', account_code: 'REG', digitalOnly: false },
  { code: 'MTDS', description: 'Money through digital service', usage: 'R', account_code: 'REG', digitalOnly: false },
  {
    code: 'DTDS',
    description: 'Disbursement through Digital service',
    usage: 'D',
    account_code: 'REG',
    digitalOnly: false,
  },
  { code: 'CASHD', description: 'Cash Disbursement', usage: 'D', account_code: 'REG', digitalOnly: false },
  { code: 'RELA', description: 'Money to Relatives', usage: 'D', account_code: 'REG', digitalOnly: false },
  { code: 'RELS', description: 'Money to Relatives- Spends', usage: 'D', account_code: 'SPND', digitalOnly: false },
  // Posted by the service itself, never by API clients: not in prison_transaction_types.
  { code: 'HOA', description: 'Hold', usage: 'D', account_code: 'REG', digitalOnly: null },
  { code: 'HOR', description: 'Remove Hold', usage: 'R', account_code: 'REG', digitalOnly: null },
  { code: 'A_EARN', description: 'Offender Payroll', usage: 'R', account_code: 'SPND', digitalOnly: null },
  { code: 'ADJ', description: 'Adjudication Award', usage: 'D', account_code: 'SPND', digitalOnly: null },
  {
    code: 'TOX',
    description: 'Transfer Out to Other Establishment',
    usage: 'D',
    account_code: 'REG',
    digitalOnly: null,
  },
  {
    code: 'TIX',
    description: 'Transfer In from Other Establishment',
    usage: 'R',
    account_code: 'REG',
    digitalOnly: null,
  },
  { code: 'NACRO', description: 'Payment to NACRO', usage: 'D', account_code: 'REG', digitalOnly: null },
  { code: 'SAVE', description: 'Transfer to Savings', usage: 'R', account_code: 'SAV', digitalOnly: null },
] as const

/** A tiny valid JPEG, standing in for the 480x600 photographs. */
export const DEMO_JPEG =
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA='

const GIVEN = ['GARY', 'ANDREW', 'MOHAMMED', 'PIOTR', 'DANIEL', 'LEROY', 'CONNOR', 'JAMES', 'SAMIR', 'TOMASZ']
const SURNAMES = ['GATWICK', 'FENWICK', 'OKAFOR', 'NOWAK', 'PRICE', 'BAILEY', 'HUSSAIN', 'WALSH', 'KELLY', 'ROSS']
const PRISON_CYCLE = ['BMI', 'LEI', 'BMI', 'MDI', 'LEI', 'WWI', 'BSI', 'PVI', 'IWI', 'BMI']
const IEP = ['STD', 'ENH', 'BAS', 'STD']

async function credit(
  w: Write,
  nomsId: string,
  prisonId: string,
  accountCode: string,
  type: string,
  amount: number,
  description: string,
) {
  await post(w, await nextTransactionId(w.tx), 1, {
    nomsId,
    prisonId,
    accountCode,
    typeCode: type,
    description,
    amount,
  })
}

function demoPay(nomsId: string): number {
  return 500 + (nomsId.charCodeAt(4) % 9) * 350
}

const A1417AE: Reception = {
  noms_id: 'A1417AE',
  prison_id: 'LEI',
  given_name: 'JENIFER',
  middle_names: 'ESMERALADA JANE',
  surname: 'HALLIBUT',
  date_of_birth: '1970-01-01',
  gender_code: 'F',
  nationalities: 'American, Irish',
  religion_code: 'ATHE',
  ethnicity_code: 'W1',
  language_code: 'LAV',
  interpreter_required: true,
  csra_code: 'HI',
  convicted: true,
  cro_number: 'ADF567890',
  imprisonment_status_code: 'SENT03',
  iep_level_code: 'ENH',
  diet_code: 'DIAB',
  security_category_code: 'A',
  booking_no: 'A00018',
  arrived_at: '2012-10-11T10:00:00Z',
  image_base64: DEMO_JPEG,
  aliases: [
    { given_name: 'JILLY', surname: 'HALLS', date_of_birth: '1969-01-01' },
    { given_name: 'JANE', surname: 'HALLIWELL', date_of_birth: '1968-09-02' },
    { given_name: 'JILLY', surname: 'HALL', date_of_birth: '1971-05-01' },
    { given_name: 'JILLY', surname: 'HALL', date_of_birth: '1970-01-01' },
  ],
}

/**
 * The demo population, loaded through the same records-in use cases an operator uses, so the event
 * feed shows every reception, transfer, discharge, alert and balance change. The seed's example ids
 * (A1417AE, A1404AE, A1513AE, A1583AE...) answer its example requests.
 */
export async function seedPrisoners(base: Write): Promise<void> {
  // The demo's record changes happen now, whatever clock the service runs on.
  const w: Write = { ...base, clock: systemClock }
  const { tx } = w
  await tx('nomis_reference_codes').insert(referenceCodeRows()).onConflict(['domain', 'code']).ignore()
  await tx('transaction_types').insert(transactionTypes.map(({ digitalOnly: _d, ...t }) => t))
  await tx('prison_transaction_types').insert(
    prisons.flatMap(p =>
      transactionTypes
        .filter(t => t.digitalOnly === false || (t.digitalOnly === true && p.establishment_type === 'DIG'))
        .map(t => ({ prison_id: p.prison_id, type_code: t.code })),
    ),
  )

  // A1417AE: received at Leeds, moved to Birmingham; the transfer-transaction example's prisoner.
  await receiveOffender(w, { ...A1417AE, housing_location: 'LEI-A-1-01' })
  await credit(w, 'A1417AE', 'LEI', 'REG', 'MTDS', 2500, 'Money to Prisoner via API')
  await transferOut(w, 'A1417AE')
  await receiveOffender(w, {
    ...A1417AE,
    aliases: [],
    prison_id: 'BMI',
    booking_no: 'A00063',
    arrived_at: '2016-08-31T09:00:00Z',
    housing_location: 'BMI-C-2-03',
  })
  await tx('offender_bookings').where({ booking_no: 'A00018' }).update({ start_date: '2012-10-11' })
  await addLegalCase(tx, 'A1417AE', {
    active: true,
    start_date: '2016-10-17',
    court_code: 'ABDRCT',
    court_desc: 'Aberdare County Court',
    case_type_code: 'A',
    case_type_desc: 'Adult',
    charges: [
      {
        statute_code: 'PL96',
        statute_desc: 'Police Act 1996',
        offence_code: 'PL96001',
        offence_desc: 'Assault a constable in the execution of his / her duty',
        most_serious: true,
        active: true,
        severity_ranking: '100',
        result_code: '1002',
        result_desc: 'Imprisonment',
        disposition_code: 'F',
        disposition_desc: 'Final',
        convicted: true,
        imprisonment_status_code: 'UNK_SENT',
        imprisonment_status_desc: 'Unknown Sentenced',
        band_code: '2',
        band_desc: 'Sent-Determinate NonFine',
      },
    ],
  })
  await addAlert(w, 'A1417AE', {
    alert_type: 'X',
    alert_code: 'XEL',
    alert_date: '2016-10-17',
    comment: 'Escape risk',
  })

  const everyone: Reception[] = [
    {
      noms_id: 'A1404AE',
      gender_code: 'M',
      ethnicity_code: 'W1',
      religion_code: 'CE',
      diet_code: 'DIAB',
      security_category_code: 'C',
      given_name: 'GARY',
      surname: 'GATWICK',
      date_of_birth: '1972-02-02',
      prison_id: 'BMI',
      housing_location: 'BMI-A-1-01',
      convicted: true,
      imprisonment_status_code: 'SENT03',
      personal_officer: 'Brady, Phill',
    },
    {
      noms_id: 'A1406AE',
      gender_code: 'M',
      ethnicity_code: 'B1',
      religion_code: 'RC',
      security_category_code: 'B',
      given_name: 'ANDREW',
      surname: 'FENWICK',
      date_of_birth: '1980-06-14',
      prison_id: 'BMI',
      housing_location: 'BMI-A-1-02',
      convicted: false,
      imprisonment_status_code: 'RX',
    },
    {
      noms_id: 'A1513AE',
      gender_code: 'M',
      ethnicity_code: 'A2',
      religion_code: 'MOS',
      diet_code: 'HAL',
      iep_level_code: 'ENH',
      given_name: 'SAMIR',
      surname: 'HUSSAIN',
      date_of_birth: '1988-03-30',
      prison_id: 'BMI',
      housing_location: 'BMI-B-2-11',
      convicted: true,
      imprisonment_status_code: 'SENT03',
    },
    {
      noms_id: 'A1583AE',
      gender_code: 'M',
      ethnicity_code: 'W9',
      religion_code: 'RC',
      security_category_code: 'B',
      given_name: 'PIOTR',
      surname: 'NOWAK',
      date_of_birth: '1979-11-05',
      prison_id: 'BMI',
      housing_location: 'BMI-C-3-05',
      convicted: true,
      imprisonment_status_code: 'SENT03',
      language_code: 'POL',
      interpreter_required: true,
    },
    {
      noms_id: 'A1470AE',
      gender_code: 'M',
      ethnicity_code: 'B2',
      religion_code: 'NIL',
      given_name: 'LEROY',
      surname: 'BAILEY',
      date_of_birth: '1991-01-19',
      prison_id: 'BMI',
      housing_location: 'BMI-A-2-04',
      convicted: true,
      imprisonment_status_code: 'SENT03',
    },
    {
      noms_id: 'A1471AE',
      gender_code: 'M',
      ethnicity_code: 'W2',
      religion_code: 'RC',
      given_name: 'CONNOR',
      surname: 'WALSH',
      date_of_birth: '1995-08-08',
      prison_id: 'BMI',
      housing_location: 'BMI-A-2-05',
      convicted: false,
      imprisonment_status_code: 'RX',
    },
    {
      noms_id: 'A1477AE',
      gender_code: 'M',
      ethnicity_code: 'W1',
      religion_code: 'CE',
      given_name: 'JAMES',
      surname: 'KELLY',
      date_of_birth: '1966-12-24',
      prison_id: 'BMI',
      housing_location: 'BMI-B-1-01',
      convicted: true,
      imprisonment_status_code: 'SENT03',
    },
    ...Array.from({ length: 30 }, (_, i): Reception => ({
      noms_id: `A${1520 + i}AE`,
      given_name: GIVEN[i % GIVEN.length]!,
      surname: SURNAMES[(i * 3) % SURNAMES.length]!,
      date_of_birth: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
      gender_code: i % 7 === 3 ? 'F' : 'M',
      ethnicity_code: ['W1', 'B1', 'A2', 'W9', 'M1'][i % 5],
      religion_code: ['CE', 'MOS', 'RC', 'NIL'][i % 4],
      prison_id: PRISON_CYCLE[i % PRISON_CYCLE.length]!,
      housing_location: `${PRISON_CYCLE[i % PRISON_CYCLE.length]}-${'ABCD'[i % 4]}-${1 + (i % 3)}-${String(1 + i).padStart(2, '0')}`,
      convicted: i % 3 !== 0,
      imprisonment_status_code: i % 3 !== 0 ? 'SENT03' : 'RX',
      iep_level_code: IEP[i % IEP.length],
      diet_code: i % 6 === 0 ? 'HAL' : null,
      security_category_code: 'BCDC'[i % 4],
      image_base64: i % 2 === 0 ? DEMO_JPEG : null,
    })),
  ]
  for (const person of everyone) {
    await receiveOffender(w, { ...person, arrived_at: '2026-01-05T14:02:00Z' })
    if (person.prison_id !== 'BSI' && person.prison_id !== 'PVI' && person.prison_id !== 'IWI') {
      const seedAmount = demoPay(person.noms_id)
      await credit(w, person.noms_id, person.prison_id, 'SPND', 'A_EARN', seedAmount, 'Offender Payroll')
      // A1404AE keeps the seed's example balances: spends only.
      if (person.noms_id !== 'A1404AE') {
        await credit(w, person.noms_id, person.prison_id, 'REG', 'MTDS', seedAmount * 2, 'Money to Prisoner via API')
        await credit(w, person.noms_id, person.prison_id, 'SAV', 'SAVE', 1000, 'Savings')
      }
    }
  }
  // The seed's example balance for A1404AE: 5343 pence of spends after a 28 pence canteen spend.
  await credit(w, 'A1404AE', 'BMI', 'SPND', 'A_EARN', 5343 + 28 - demoPay('A1404AE'), 'Offender Payroll')
  const canteen = await nextTransactionId(tx)
  await post(w, canteen, 1, {
    nomsId: 'A1404AE',
    prisonId: 'BMI',
    accountCode: 'SPND',
    typeCode: 'CANT',
    description: '1001118',
    amount: -28,
  })
  // Dated as in the seed's transaction-history example.
  await tx('offender_transactions').where({ txn_id: canteen }).update({ entry_date: '2016-11-24' })
  await addHold(w, {
    nomsId: 'A1513AE',
    prisonId: 'BMI',
    description: 'Hold via API',
    amount: 150,
    referenceNo: 'TEST0076',
    clientUniqueRef: 'seadiver',
  })

  await addAlert(w, 'A1583AE', {
    alert_type: 'X',
    alert_code: 'XEL',
    alert_date: '2018-01-12',
    comment: 'has a large poster on cell wall',
  })
  await addAlert(w, 'A1583AE', {
    alert_type: 'R',
    alert_code: 'RKS',
    alert_date: '2018-01-12',
    expiry_date: '2099-03-12',
  })
  const acct = await addAlert(w, 'A1583AE', { alert_type: 'H', alert_code: 'HA', alert_date: '2017-11-13' })
  await closeAlert(w, 'A1583AE', acct, '2018-01-12')
  await addAlert(w, 'A1470AE', { alert_type: 'X', alert_code: 'XB', alert_date: '2016-10-21' })
  await changeIepLevel(w, 'A1470AE', 'BAS')
  await dischargeOffender(w, 'A1477AE', 'CR')
}

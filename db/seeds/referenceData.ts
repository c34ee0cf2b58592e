import type { Knex } from 'knex'
import { stableId } from './stableId'

/** Ids that the seed walkthrough (seeds/001) uses verbatim. */
export const walkthroughIds = {
  brinsford: '067c2855-fa41-493d-9c80-1311a4f7ba45',
  isleOfWight: '056eed18-772b-45b3-b64a-4d7d563641f7',
  holdSeparately: '8952537a-ecf7-4e25-93d1-2ad67651ad99',
  otherRisks: '4e37ac1a-a461-45a8-bca9-f0e994d3105e',
  violent: 'af8cfc67-757c-4019-9d5e-618017de1617',
  healthIssue: '8872ad2e-b1b6-44c1-a937-b7540e633355',
  ethnicityW1: 'a4f988ba-5ebc-4b24-9dfe-b7fa0c23c30e',
  genderMale: 'ffac6763-26d6-4425-8005-6e5d052aed88',
} as const

export const suppliers = [
  { id: stableId('supplier', 'serco'), key: 'serco', name: 'Serco' },
  { id: stableId('supplier', 'geoamey'), key: 'geoamey', name: 'GEOAmey' },
]

type LocationSeed = {
  key: string
  title: string
  location_type: string
  nomis_agency_id: string
  supplier: 'serco' | 'geoamey'
  id?: string
  young_offender_institution?: boolean
  extradition_capable?: boolean
  city?: string
  postcode?: string
}

export const locations: LocationSeed[] = [
  {
    key: 'bsi',
    id: walkthroughIds.brinsford,
    title: 'BRINSFORD (HMP)',
    location_type: 'prison',
    nomis_agency_id: 'BSI',
    supplier: 'geoamey',
    young_offender_institution: true,
    city: 'Wolverhampton',
    postcode: 'WV10 7PY',
  },
  {
    key: 'iwi',
    id: walkthroughIds.isleOfWight,
    title: 'ISLE OF WIGHT (HMP)',
    location_type: 'prison',
    nomis_agency_id: 'IWI',
    supplier: 'geoamey',
    city: 'Newport',
    postcode: 'PO30 5RS',
  },
  {
    key: 'bmi',
    title: 'BIRMINGHAM (HMP)',
    location_type: 'prison',
    nomis_agency_id: 'BMI',
    supplier: 'geoamey',
    city: 'Birmingham',
    postcode: 'B18 4AS',
  },
  {
    key: 'lei',
    title: 'LEEDS (HMP)',
    location_type: 'prison',
    nomis_agency_id: 'LEI',
    supplier: 'serco',
    city: 'Leeds',
    postcode: 'LS12 2TJ',
  },
  {
    key: 'mdi',
    title: 'MOORLAND (HMP & YOI)',
    location_type: 'prison',
    nomis_agency_id: 'MDI',
    supplier: 'serco',
    young_offender_institution: true,
    city: 'Doncaster',
    postcode: 'DN7 6BW',
  },
  {
    key: 'wwi',
    title: 'WANDSWORTH (HMP)',
    location_type: 'prison',
    nomis_agency_id: 'WWI',
    supplier: 'serco',
    city: 'London',
    postcode: 'SW18 3HU',
  },
  {
    key: 'pvi',
    title: 'PENTONVILLE (HMP)',
    location_type: 'prison',
    nomis_agency_id: 'PVI',
    supplier: 'serco',
    city: 'London',
    postcode: 'N7 8TT',
  },
  {
    key: 'brmcc',
    title: 'Birmingham Crown Court',
    location_type: 'court',
    nomis_agency_id: 'BRMCC',
    supplier: 'geoamey',
    city: 'Birmingham',
    postcode: 'B4 7NA',
  },
  {
    key: 'brmmc',
    title: 'Birmingham Magistrates Court',
    location_type: 'court',
    nomis_agency_id: 'BRMMC',
    supplier: 'geoamey',
    city: 'Birmingham',
    postcode: 'B4 6QA',
  },
  {
    key: 'leedcc',
    title: 'Leeds Crown Court',
    location_type: 'court',
    nomis_agency_id: 'LEEDCC',
    supplier: 'serco',
    city: 'Leeds',
    postcode: 'LS1 3BG',
  },
  {
    key: 'leedmc',
    title: 'Leeds Magistrates Court',
    location_type: 'court',
    nomis_agency_id: 'LEEDMC',
    supplier: 'serco',
    city: 'Leeds',
    postcode: 'LS1 3JP',
  },
  {
    key: 'oldbcc',
    title: 'Central Criminal Court (Old Bailey)',
    location_type: 'court',
    nomis_agency_id: 'OLDBCC',
    supplier: 'serco',
    extradition_capable: true,
    city: 'London',
    postcode: 'EC4M 7EH',
  },
  {
    key: 'wmp000',
    title: 'West Midlands Police - Steelhouse Lane',
    location_type: 'police',
    nomis_agency_id: 'WMP000',
    supplier: 'geoamey',
    city: 'Birmingham',
    postcode: 'B4 6BJ',
  },
  {
    key: 'wmp001',
    title: 'West Midlands Police - Perry Barr',
    location_type: 'police',
    nomis_agency_id: 'WMP001',
    supplier: 'geoamey',
    city: 'Birmingham',
    postcode: 'B42 2LT',
  },
  {
    key: 'wyp000',
    title: 'West Yorkshire Police - Elland Road',
    location_type: 'police',
    nomis_agency_id: 'WYP000',
    supplier: 'serco',
    city: 'Leeds',
    postcode: 'LS11 8BU',
  },
  {
    key: 'met001',
    title: 'Metropolitan Police - Charing Cross',
    location_type: 'police',
    nomis_agency_id: 'MET001',
    supplier: 'serco',
    city: 'London',
    postcode: 'WC2N 4JP',
  },
  {
    key: 'rampton',
    title: 'Rampton Secure Hospital',
    location_type: 'high_security_hospital',
    nomis_agency_id: 'RAMPTON',
    supplier: 'serco',
    city: 'Retford',
    postcode: 'DN22 0PD',
  },
  {
    key: 'qeh',
    title: 'Queen Elizabeth Hospital Birmingham',
    location_type: 'hospital',
    nomis_agency_id: 'QEHB',
    supplier: 'geoamey',
    city: 'Birmingham',
    postcode: 'B15 2GW',
  },
  {
    key: 'oakhill',
    title: 'Oakhill Secure Training Centre',
    location_type: 'secure_training_centre',
    nomis_agency_id: 'OKI',
    supplier: 'geoamey',
    city: 'Milton Keynes',
    postcode: 'MK5 6AJ',
  },
  {
    key: 'aldine',
    title: 'Aldine House Secure Childrens Home',
    location_type: 'secure_childrens_home',
    nomis_agency_id: 'SCH6',
    supplier: 'serco',
    city: 'Sheffield',
    postcode: 'S2 5SG',
  },
]

/** NOMIS establishments behind the prison locations; 'DIG' ones are digital prisons. */
export const prisons = [
  { prison_id: 'BMI', description: 'BIRMINGHAM (HMP)', establishment_type: 'DIG' },
  { prison_id: 'LEI', description: 'LEEDS (HMP)', establishment_type: 'DIG' },
  { prison_id: 'MDI', description: 'MOORLAND (HMP & YOI)', establishment_type: 'DIG' },
  { prison_id: 'WWI', description: 'WANDSWORTH (HMP)', establishment_type: 'DIG' },
  { prison_id: 'BSI', description: 'BRINSFORD (HMP)', establishment_type: 'INST' },
  { prison_id: 'IWI', description: 'ISLE OF WIGHT (HMP)', establishment_type: 'INST' },
  { prison_id: 'PVI', description: 'PENTONVILLE (HMP)', establishment_type: 'INST' },
]

export const assessmentQuestions: { key: string; title: string; category: 'risk' | 'health' | 'court'; id?: string }[] =
  [
    { key: 'violent', title: 'Violent', category: 'risk', id: walkthroughIds.violent },
    { key: 'escape', title: 'Escape', category: 'risk' },
    { key: 'civil_disorder', title: 'Civil disorder', category: 'risk' },
    { key: 'hold_separately', title: 'Must be held separately', category: 'risk' },
    { key: 'self_harm', title: 'Self harm', category: 'risk' },
    { key: 'concealed_items', title: 'Concealed items', category: 'risk' },
    { key: 'not_to_be_released', title: 'Not for release', category: 'risk' },
    { key: 'other_risks', title: 'Any other risks', category: 'risk', id: walkthroughIds.otherRisks },
    { key: 'special_diet_or_allergy', title: 'Special diet or allergy', category: 'health' },
    { key: 'health_issue', title: 'Health issue', category: 'health', id: walkthroughIds.healthIssue },
    { key: 'medication', title: 'Medication', category: 'health' },
    { key: 'wheelchair', title: 'Wheelchair user', category: 'health' },
    { key: 'pregnant', title: 'Pregnant', category: 'health' },
    { key: 'other_health', title: 'Any other requirements', category: 'health' },
    { key: 'special_vehicle', title: 'Requires special vehicle', category: 'health' },
    { key: 'solicitor', title: 'Solicitor or other legal representation', category: 'court' },
    { key: 'interpreter', title: 'Sign or other language interpreter', category: 'court' },
    { key: 'other_court', title: 'Any other information', category: 'court' },
  ]

/** The reference's alert code -> question mapping; every other code means other_risks. */
export const nomisAlertMappings: Record<string, string[]> = {
  self_harm: ['F1', 'HA', 'HA1', 'HA2', 'HC', 'HS'],
  violent: [
    'CA',
    'OCVM',
    'PC1',
    'PC2',
    'PC3',
    'PL1',
    'PL2',
    'PL3',
    'PVN',
    'RDV',
    'ROH',
    'ROM',
    'ROV',
    'RPB',
    'RPC',
    'RSS',
    'RST',
    'XB',
    'XSA',
    'XSC',
    'XTACT',
    'XVL',
  ],
  escape: ['XC', 'XCU', 'XEBM', 'XEL', 'XER'],
  hold_separately: [
    'CC1',
    'CC2',
    'CC3',
    'CC4',
    'CPC',
    'CPRC',
    'CSIP',
    'HPI',
    'RCC',
    'RCS',
    'RDP',
    'REG',
    'RLG',
    'RNO121',
    'ROP',
    'RRV',
    'RTP',
    'RYP',
    'V45',
    'V46',
    'V49G',
    'V49P',
    'VI',
    'VIP',
    'VJOP',
    'VLES',
    'VOP',
    'XGANG',
    'XHT',
    'XR',
    'XRF',
  ],
  not_to_be_released: ['TAH', 'TAP', 'TCPA', 'TG', 'TM', 'TPR', 'TSE', 'WO', 'XILLENT', 'XLDEPORT', 'XNR', 'XSDEPORT'],
  health_issue: ['HID', 'MAS', 'MHT', 'MSP', 'UPIU', 'URCU', 'URS', 'USU'],
  special_vehicle: ['MEP', 'MFL', 'MSI', 'PEEP'],
}

export const allocationComplexCases = [
  { key: 'hold_separately', title: 'Segregated prisoners', id: walkthroughIds.holdSeparately },
  { key: 'self_harm', title: 'Self harm / prisoners on ACCT' },
  { key: 'mental_health_issue', title: 'Mental health issues' },
  { key: 'under_drug_treatment', title: 'Integrated Drug Treatment System' },
]

export const ethnicities = [
  { key: 'w1', nomis_code: 'W1', title: 'White: Eng./Welsh/Scot./N.Irish/British', id: walkthroughIds.ethnicityW1 },
  { key: 'w2', nomis_code: 'W2', title: 'White: Irish' },
  { key: 'w3', nomis_code: 'W3', title: 'White: Gypsy or Irish Traveller' },
  { key: 'w9', nomis_code: 'W9', title: 'White: Any other background' },
  { key: 'm1', nomis_code: 'M1', title: 'Mixed: White and Black Caribbean' },
  { key: 'm2', nomis_code: 'M2', title: 'Mixed: White and Black African' },
  { key: 'm3', nomis_code: 'M3', title: 'Mixed: White and Asian' },
  { key: 'm9', nomis_code: 'M9', title: 'Mixed: Any other background' },
  { key: 'a1', nomis_code: 'A1', title: 'Asian/Asian British: Indian' },
  { key: 'a2', nomis_code: 'A2', title: 'Asian/Asian British: Pakistani' },
  { key: 'a3', nomis_code: 'A3', title: 'Asian/Asian British: Bangladeshi' },
  { key: 'a4', nomis_code: 'A4', title: 'Asian/Asian British: Chinese' },
  { key: 'a9', nomis_code: 'A9', title: 'Asian/Asian British: Any other background' },
  { key: 'b1', nomis_code: 'B1', title: 'Black/Black British: Caribbean' },
  { key: 'b2', nomis_code: 'B2', title: 'Black/Black British: African' },
  { key: 'b9', nomis_code: 'B9', title: 'Black/Black British: Any other background' },
  { key: 'o2', nomis_code: 'O2', title: 'Other: Arab' },
  { key: 'o9', nomis_code: 'O9', title: 'Other: Any other background' },
  { key: 'nk', nomis_code: 'NK', title: 'Prefer not to say' },
]

export const genders = [
  { key: 'male', nomis_code: 'M', title: 'Male', id: walkthroughIds.genderMale },
  { key: 'female', nomis_code: 'F', title: 'Female' },
  { key: 'trans', nomis_code: 'NS', title: 'Trans', description: 'Not specified (indeterminate)' },
  { key: 'not_known', nomis_code: 'NK', title: 'Not known' },
]

export const prisonTransferReasons = [
  { key: 'categorisation', title: 'Categorisation' },
  { key: 'closure_of_prison', title: 'Closure of establishment' },
  { key: 'compassionate', title: 'Compassionate' },
  { key: 'court', title: 'Court' },
  { key: 'disciplinary', title: 'Disciplinary' },
  { key: 'drug_rehabilitation', title: 'Drug rehabilitation' },
  { key: 'education', title: 'Education' },
  { key: 'medical', title: 'Medical' },
  { key: 'other', title: 'Other' },
  { key: 'overcrowding', title: 'Overcrowding draft' },
  { key: 'progression', title: 'Progression' },
  { key: 'sentence_planning', title: 'Sentence planning' },
  { key: 'to_be_closer_to_home', title: 'To be closer to home' },
]

function withIds<T extends { key: string; id?: string }>(namespace: string, rows: T[]) {
  return rows.map(row => ({ ...row, id: row.id ?? stableId(namespace, row.key) }))
}

export async function seedReferenceData(tx: Knex.Transaction): Promise<void> {
  await tx('suppliers').insert(suppliers)
  const supplierIds = Object.fromEntries(suppliers.map(s => [s.key, s.id]))
  const locationRows = withIds('location', locations)
  await tx('locations').insert(locationRows.map(({ supplier: _supplier, ...row }) => row))
  await tx('locations_suppliers').insert(
    locationRows.map(row => ({
      location_id: row.id,
      supplier_id: supplierIds[row.supplier],
      effective_from: '2020-01-01',
    })),
  )
  await tx('prisons').insert(prisons)
  const questions = withIds('assessment_question', assessmentQuestions)
  await tx('assessment_questions').insert(questions)
  const questionIds = Object.fromEntries(questions.map(q => [q.key, q.id]))
  await tx('nomis_alert_mappings').insert(
    Object.entries(nomisAlertMappings).flatMap(([key, codes]) =>
      codes.map(code => ({ alert_code: code, assessment_question_id: questionIds[key] })),
    ),
  )
  await tx('allocation_complex_cases').insert(withIds('allocation_complex_case', allocationComplexCases))
  await tx('ethnicities').insert(withIds('ethnicity', ethnicities))
  await tx('genders').insert(withIds('gender', genders))
  await tx('prison_transfer_reasons').insert(withIds('prison_transfer_reason', prisonTransferReasons))
}

import type { Knex } from 'knex'
import { createHash } from 'node:crypto'

/**
 * Issue #21, the first half: court hearings (Book a Secure Move's, and the prisoner record's copy that
 * the reference pushes to NOMIS), extradition flights, and the reference lists of regions and prisoner
 * categories. Regions and categories are fixed lists the service cannot work without (the category
 * decides whether a person may be moved at all), so they are written here rather than by the demo seed,
 * and every database has them.
 */

/** A fixed id per list entry, so every database names a region or category alike. */
function fixedId(namespace: string, key: string): string {
  const hex = createHash('sha256').update(`${namespace}:${key}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** The reference's nine regions, each with the NOMIS agency ids of the establishments it groups. */
const REGIONS: { key: string; name: string; agencies: string }[] = [
  {
    key: '1',
    name: 'South of England',
    agencies: 'ASI BLI BNI CWI CLI DAI EYI EEI EXI FDI GNI GMI LWI LYI PDI RCI SPI EHI VEI WCI',
  },
  {
    key: '2',
    name: 'London and the East of England',
    agencies: 'BFI BAI BXI BRI CDI HOI HPI HBI ISI LTI NWI PVI PBI TSI MTI WWI WII WLI WSI FMI',
  },
  {
    key: '3',
    name: 'Midlands and York and Humberside',
    agencies:
      'BMI BSI DGI DNI FSI HDI HEI HLI HMI LCI LEI LHI LII MDI MHI NMI NSI ONI OWI RNI SFI SHI SKI SNI SUI WEI WTI',
  },
  {
    key: '4',
    name: 'North East and North West',
    agencies: 'ACI BCI DTI DMI FBI HVI HII HHI KMI KVI LFI LPI NLI PNI RSI TCI WMI',
  },
  { key: '5A', name: 'Wales', agencies: 'BWI CFI UPI SWI UKI PRI' },
  { key: '5B', name: 'Female Estate', agencies: 'AGI BZI DWI DHI ESI EWI FHI LNI NHI PFI SDI STI' },
  { key: '6', name: 'FNO Prisons and IRCs', agencies: 'HCI MSI' },
  {
    key: '7',
    name: 'Long Term High Security Estate',
    agencies: 'AYI FKI FNI GHI GTI IWI LLI LGI MRI RHI SLI WDI WRI WHI',
  },
  {
    key: '8',
    name: 'Youth Custody Service',
    agencies: 'FMI PRI CKI WNI WYI STC2 STC3 SCH1 SCH2 SCH3 SCH4 SCH5 SCH6 SCH8 SCH9',
  },
]

/** The reference's prisoner categories; A, E and H (the high-security ones) are not moved by this service. */
const CATEGORIES: [key: string, title: string, moveSupported: boolean][] = [
  ['A', 'Category A', false],
  ['B', 'Category B', true],
  ['BTH', 'Category B Therapeutic', true],
  ['BTRN', 'Category B Training', true],
  ['C', 'Category C', true],
  ['CVPU', 'Category C VPU', true],
  ['CYOI', 'Category C / YOI', true],
  ['D', 'Category D', true],
  ['E', 'Category A Ex', false],
  ['EL', 'Eligible', true],
  ['FEM', 'Female', true],
  ['FEMO', 'Female Open', true],
  ['GRANTED', 'Parole Granted', true],
  ['H', 'Cat A Hi', false],
  ['I', 'YOI Closed', true],
  ['IMM', 'Immigration', true],
  ['LOC', 'Local', true],
  ['R', 'Fem Closed', true],
  ['U', 'Unsentenced', true],
  ['YJB', 'YJB', true],
  ['YOI', 'YOI', true],
  ['YOIA', 'Adult and YOI', true],
  ['YOIL', 'Local YOI', true],
]

function timestamps(knex: Knex, t: Knex.CreateTableBuilder) {
  t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('court_hearings', t => {
    t.uuid('id').primary()
    t.uuid('move_id').references('moves.id')
    t.timestamp('start_time', { useTz: true }).notNullable()
    t.date('case_start_date')
    t.text('case_number')
    t.text('case_type')
    t.bigInteger('nomis_case_id')
    t.text('comments')
    // The hearing's id in the prisoner records once recorded there (the reference's push to NOMIS).
    t.bigInteger('nomis_hearing_id')
    t.boolean('saved_to_nomis').notNullable().defaultTo(false)
    timestamps(knex, t)
    t.index(['move_id'])
  })

  // The prisoner record's scheduled court appearances, on a booking; the person's timetable reads them.
  await knex.schema.createTable('offender_court_hearings', t => {
    t.bigIncrements('id')
    t.bigInteger('booking_id').notNullable().references('offender_bookings.id').onDelete('CASCADE')
    t.bigInteger('legal_case_id').references('offender_legal_cases.id').onDelete('SET NULL')
    t.timestamp('start_time', { useTz: true }).notNullable()
    // The court's agency id, and the prison the prisoner leaves from.
    t.text('court_code')
    t.text('from_prison_id')
    t.text('comments')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['booking_id', 'start_time'])
  })

  await knex.schema.createTable('extradition_flights', t => {
    t.uuid('id').primary()
    t.uuid('move_id').notNullable().unique().references('moves.id')
    t.text('flight_number').notNullable()
    t.timestamp('flight_time', { useTz: true }).notNullable()
    timestamps(knex, t)
  })

  await knex.schema.createTable('regions', t => {
    t.uuid('id').primary()
    t.text('key').notNullable().unique()
    t.text('name').notNullable()
    timestamps(knex, t)
  })
  // By agency id rather than location id: a region names establishments whether or not they are locations yet.
  await knex.schema.createTable('region_agencies', t => {
    t.uuid('region_id').notNullable().references('regions.id').onDelete('CASCADE')
    t.text('nomis_agency_id').notNullable()
    t.primary(['region_id', 'nomis_agency_id'])
    t.index(['nomis_agency_id'])
  })

  await knex.schema.createTable('categories', t => {
    t.uuid('id').primary()
    t.text('key').notNullable().unique()
    t.text('title').notNullable()
    t.boolean('move_supported').notNullable()
    timestamps(knex, t)
  })

  await knex('regions').insert(REGIONS.map(r => ({ id: fixedId('region', r.key), key: r.key, name: r.name })))
  await knex('region_agencies').insert(
    REGIONS.flatMap(r =>
      r.agencies.split(' ').map(agency => ({ region_id: fixedId('region', r.key), nomis_agency_id: agency })),
    ),
  )
  await knex('categories').insert(
    CATEGORIES.map(([key, title, moveSupported]) => ({
      id: fixedId('category', key),
      key,
      title,
      move_supported: moveSupported,
    })),
  )
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'categories',
    'region_agencies',
    'regions',
    'extradition_flights',
    'offender_court_hearings',
    'court_hearings',
  ]) {
    await knex.schema.dropTable(table)
  }
}

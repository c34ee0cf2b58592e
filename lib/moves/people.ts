import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import type { Write } from '../write'
import { DomainError, attribute, relationship } from '../errors'
import { canonicalIdentifier, canonicalSql, pncMatchKey, pncMatchKeySql } from '../identifiers'
import { whereAnyOf } from '../jsonapi/filterMatch'
import type { Page } from '../jsonapi/pagination'
import { peopleQuery, type PersonRow } from './rows'

export type PeopleFilter = {
  prison_number?: string[]
  police_national_computer?: string[]
  criminal_records_office?: string[]
  /** PNC numbers matched loosely (`pncMatchKey`); prisoner records are not imported for these. */
  fuzzy_pnc?: string[]
}

const offenderColumn = {
  prison_number: 'noms_id',
  police_national_computer: 'pnc_number',
  criminal_records_office: 'cro_number',
} as const

/**
 * Brings the prisoner records matching the filter into people, as the reference does from
 * Prisoner Search before answering: one upsert, keyed on the prison number.
 */
async function importFromPrisonerRecords(tx: Tx, filter: PeopleFilter, now: Date): Promise<void> {
  const entries = Object.entries(filter).filter(([name, values]) => name in offenderColumn && values?.length) as [
    keyof typeof offenderColumn,
    string[],
  ][]
  if (!entries.length) return
  // Records written before identifiers had one form may differ in case or spaces: compare canonical forms.
  const where = entries.map(([name]) => `${canonicalSql(`o.${offenderColumn[name]}`)} = any(?)`).join(' or ')
  await tx.raw(
    `insert into people (id, first_names, last_name, date_of_birth, gender_id, ethnicity_id, prison_number,
                         criminal_records_office, police_national_computer, created_at, updated_at)
     select gen_random_uuid(), concat_ws(' ', o.given_name, o.middle_names), o.surname, o.date_of_birth,
            (select g.id from genders g where g.nomis_code = o.gender_code),
            (select e.id from ethnicities e where e.nomis_code = o.ethnicity_code),
            ${canonicalSql('o.noms_id')}, ${canonicalSql('o.cro_number')}, ${canonicalSql('o.pnc_number')}, ?, ?
     from offenders o where ${where}
     on conflict (prison_number) do update set
       first_names = excluded.first_names, last_name = excluded.last_name, date_of_birth = excluded.date_of_birth,
       gender_id = excluded.gender_id, ethnicity_id = excluded.ethnicity_id,
       criminal_records_office = excluded.criminal_records_office,
       police_national_computer = excluded.police_national_computer, updated_at = excluded.updated_at`,
    [now, now, ...entries.map(([, values]) => values)],
  )
}

export async function listPeople(
  w: Write,
  filter: PeopleFilter,
  page: Page,
  now: Date,
): Promise<{ rows: PersonRow[]; total: number }> {
  const { tx } = w
  const { fuzzy_pnc: fuzzy, ...exact } = filter
  const canonical: PeopleFilter = Object.fromEntries(
    Object.entries(exact).map(([name, values]) => [name, values?.flatMap(v => canonicalIdentifier(v) ?? [])]),
  )
  await importFromPrisonerRecords(tx, canonical, now)
  const fuzzyKeys = fuzzy?.flatMap(v => pncMatchKey(v) ?? [])
  const where = (query: Knex.QueryBuilder): Knex.QueryBuilder => {
    for (const [name, values] of Object.entries(canonical)) {
      if (values) whereAnyOf(query, `pe.${name}`, values)
    }
    if (fuzzyKeys?.length) query.whereRaw(`${pncMatchKeySql('pe.police_national_computer')} = any(?)`, [fuzzyKeys])
    else if (fuzzyKeys) query.whereNull('pe.police_national_computer')
    return query
  }
  const rows: PersonRow[] = await where(peopleQuery(tx))
    .orderBy([{ column: 'pe.last_name' }, { column: 'pe.first_names' }, { column: 'pe.id' }])
    .limit(page.size)
    .offset((page.number - 1) * page.size)
  const count = (await where(tx('people as pe').count('* as count')).first()) as { count: number } | undefined
  return { rows, total: Number(count?.count ?? 0) }
}

export async function findPerson(tx: Tx, id: string): Promise<PersonRow> {
  const person = (await peopleQuery(tx).where('pe.id', id).first()) as PersonRow | undefined
  if (!person) throw new DomainError('not_found', `Couldn't find Person with 'id'=${id}`)
  return person
}

/**
 * A person's members as a write gives them (openapi.yaml PersonAttributes, which holds the reference's
 * validations: names not blank, date_of_birth from 1900, prison_number without ":"). An absent member
 * (undefined) is left as it is.
 */
export type PersonInput = {
  first_names?: string
  last_name?: string
  date_of_birth?: string | null
  gender_additional_information?: string | null
  prison_number?: string | null
  criminal_records_office?: string | null
  police_national_computer?: string | null
  gender_id?: string | null
  ethnicity_id?: string | null
}

const COLUMNS = [
  'first_names',
  'last_name',
  'date_of_birth',
  'gender_additional_information',
  'prison_number',
  'criminal_records_office',
  'police_national_computer',
  'gender_id',
  'ethnicity_id',
] as const

async function checkReference(tx: Tx, table: 'genders' | 'ethnicities', id: string | null | undefined, name: string) {
  if (!id) return
  if (!(await tx(table).where({ id }).first('id'))) {
    throw new DomainError('not_found', `Couldn't find ${name} with 'id'=${id}`, {
      subject: relationship(name),
    })
  }
}

const IDENTIFIERS = ['prison_number', 'criminal_records_office', 'police_national_computer'] as const

/** The columns a write sets, its identifiers in their canonical form. */
function columns(input: PersonInput): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (const name of COLUMNS) {
    if (input[name] !== undefined) row[name] = input[name]
  }
  for (const name of IDENTIFIERS) {
    if (input[name] !== undefined) row[name] = canonicalIdentifier(input[name])
  }
  return row
}

/** A prison number already taken is the client's mistake (422), not a server error. */
async function save(work: () => Promise<void>): Promise<void> {
  try {
    await work()
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new DomainError('taken', 'prison_number has already been taken', {
        subject: attribute('prison_number'),
      })
    }
    throw err
  }
}

export async function createPerson(w: Write, input: PersonInput, now: Date): Promise<PersonRow> {
  const { tx } = w
  await checkReference(tx, 'genders', input.gender_id, 'gender')
  await checkReference(tx, 'ethnicities', input.ethnicity_id, 'ethnicity')
  const id = crypto.randomUUID()
  await save(async () => {
    await tx('people').insert({ id, ...columns(input), created_at: now, updated_at: now })
  })
  return findPerson(tx, id)
}

export async function updatePerson(w: Write, id: string, input: PersonInput, now: Date): Promise<PersonRow> {
  const { tx } = w
  await findPerson(tx, id)
  await checkReference(tx, 'genders', input.gender_id, 'gender')
  await checkReference(tx, 'ethnicities', input.ethnicity_id, 'ethnicity')
  await save(async () => {
    await tx('people')
      .where({ id })
      .update({ ...columns(input), updated_at: now })
  })
  return findPerson(tx, id)
}

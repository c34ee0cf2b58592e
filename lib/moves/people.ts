import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import { DomainError, attribute, relationship, type ErrorSubject } from '../errors'
import type { Page } from '../jsonapi/pagination'
import { peopleQuery, type PersonRow } from './rows'

export type PeopleFilter = {
  prison_number?: string[]
  police_national_computer?: string[]
  criminal_records_office?: string[]
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
  const entries = Object.entries(filter).filter(([, values]) => values?.length) as [keyof PeopleFilter, string[]][]
  if (!entries.length) return
  const where = entries.map(([name]) => `o.${offenderColumn[name]} = any(?)`).join(' or ')
  await tx.raw(
    `insert into people (id, first_names, last_name, date_of_birth, gender_id, ethnicity_id, prison_number,
                         criminal_records_office, police_national_computer, created_at, updated_at)
     select gen_random_uuid(), concat_ws(' ', o.given_name, o.middle_names), o.surname, o.date_of_birth,
            (select g.id from genders g where g.nomis_code = o.gender_code),
            (select e.id from ethnicities e where e.nomis_code = o.ethnicity_code),
            o.noms_id, o.cro_number, o.pnc_number, ?, ?
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
  tx: Tx,
  filter: PeopleFilter,
  page: Page,
  now: Date,
): Promise<{ rows: PersonRow[]; total: number }> {
  await importFromPrisonerRecords(tx, filter, now)
  const where = (query: Knex.QueryBuilder): Knex.QueryBuilder => {
    for (const [name, values] of Object.entries(filter)) {
      if (values?.length) query.whereIn(`pe.${name}`, values)
    }
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

export type PersonInput = {
  first_names?: unknown
  last_name?: unknown
  date_of_birth?: unknown
  gender_additional_information?: unknown
  prison_number?: unknown
  criminal_records_office?: unknown
  police_national_computer?: unknown
  gender_id?: string | null
  ethnicity_id?: string | null
}

type Problem = { detail: string; subject: ErrorSubject }

const TEXT_ATTRIBUTES = [
  'first_names',
  'last_name',
  'gender_additional_information',
  'prison_number',
  'criminal_records_office',
  'police_national_computer',
] as const

/** The reference's person validations, each failure pointing at its attribute. */
function validatePerson(input: PersonInput, creating: boolean): Problem[] {
  const problems: Problem[] = []
  for (const name of TEXT_ATTRIBUTES) {
    const value = input[name]
    if (value !== undefined && value !== null && typeof value !== 'string') {
      problems.push({ detail: `${name} must be a string`, subject: attribute(name) })
    }
  }
  for (const name of ['first_names', 'last_name'] as const) {
    const value = input[name]
    if ((creating && value === undefined) || (value !== undefined && (typeof value !== 'string' || !value.trim()))) {
      problems.push({ detail: `${name} can't be blank`, subject: attribute(name) })
    }
  }
  if (typeof input.prison_number === 'string' && input.prison_number.includes(':')) {
    problems.push({ detail: 'prison_number must not contain ":"', subject: attribute('prison_number') })
  }
  const dob = input.date_of_birth
  if (dob !== undefined && dob !== null) {
    if (typeof dob !== 'string' || !isCalendarDate(dob)) {
      problems.push({ detail: 'date_of_birth must be a date (YYYY-MM-DD)', subject: attribute('date_of_birth') })
    } else if (Number(dob.slice(0, 4)) < 1900) {
      problems.push({ detail: 'date_of_birth must be after 1900-01-01', subject: attribute('date_of_birth') })
    }
  }
  return problems
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

async function checkReference(tx: Tx, table: 'genders' | 'ethnicities', id: string | null | undefined, name: string) {
  if (!id) return
  if (!(await tx(table).where({ id }).first('id'))) {
    throw new DomainError('not_found', `Couldn't find ${name} with 'id'=${id}`, {
      subject: relationship(name),
    })
  }
}

function columns(input: PersonInput): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (const name of [...TEXT_ATTRIBUTES, 'date_of_birth', 'gender_id', 'ethnicity_id'] as const) {
    if (input[name] !== undefined) row[name] = input[name]
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

export async function createPerson(tx: Tx, input: PersonInput, now: Date): Promise<PersonRow> {
  const problems = validatePerson(input, true)
  if (problems.length) throw DomainError.many('unprocessable_entity', problems)
  await checkReference(tx, 'genders', input.gender_id, 'gender')
  await checkReference(tx, 'ethnicities', input.ethnicity_id, 'ethnicity')
  const id = crypto.randomUUID()
  await save(async () => {
    await tx('people').insert({ id, ...columns(input), created_at: now, updated_at: now })
  })
  return findPerson(tx, id)
}

export async function updatePerson(tx: Tx, id: string, input: PersonInput, now: Date): Promise<PersonRow> {
  await findPerson(tx, id)
  const problems = validatePerson(input, false)
  if (problems.length) throw DomainError.many('unprocessable_entity', problems)
  await checkReference(tx, 'genders', input.gender_id, 'gender')
  await checkReference(tx, 'ethnicities', input.ethnicity_id, 'ethnicity')
  await save(async () => {
    await tx('people')
      .where({ id })
      .update({ ...columns(input), updated_at: now })
  })
  return findPerson(tx, id)
}

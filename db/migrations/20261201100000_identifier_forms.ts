import type { Knex } from 'knex'

/**
 * Identifier columns: people's, and those of the prisoner records people are imported from. A NOMS id
 * is a primary key that other tables reference and was only ever written in its NOMIS pattern
 * (upper case), so it is checked but not rewritten.
 */
const COLUMNS: [table: string, column: string, rewrite: boolean][] = [
  ['people', 'prison_number', true],
  ['people', 'police_national_computer', true],
  ['people', 'criminal_records_office', true],
  ['offenders', 'noms_id', false],
  ['offenders', 'pnc_number', true],
  ['offenders', 'cro_number', true],
]

const canonical = (column: string) => `nullif(upper(btrim(${column})), '')`

/**
 * Prison numbers, PNC and CRO numbers in one canonical form, trimmed and upper case, with blanks as
 * null (lib/identifiers.ts): stored rows are rewritten and CHECK constraints keep every later write
 * canonical, whatever writes it. Two people whose prison numbers differ only in case or spaces would
 * become one number, which the unique index refuses: the migration then stops and names them, for an
 * operator to merge, rather than choose which record loses its number.
 */
export async function up(knex: Knex): Promise<void> {
  const { rows: clashes } = (await knex.raw(
    `select ${canonical('prison_number')} as prison_number, string_agg(id::text, ', ' order by id) as ids
     from people where ${canonical('prison_number')} is not null
     group by 1 having count(*) > 1`,
  )) as { rows: { prison_number: string; ids: string }[] }
  if (clashes.length) {
    const listed = clashes.map(c => `${c.prison_number} (people ${c.ids})`).join('; ')
    throw new Error(`people share a prison number once it is canonical; merge them first: ${listed}`)
  }
  for (const [table, column, rewrite] of COLUMNS) {
    if (!rewrite) continue
    await knex.raw(`update ?? set ?? = ${canonical('??')} where ?? is distinct from ${canonical('??')}`, [
      table,
      column,
      column,
      column,
      column,
    ])
  }
  for (const [table, column] of COLUMNS) {
    await knex.raw(`alter table ?? add constraint ?? check (?? = upper(btrim(??)) and ?? <> '')`, [
      table,
      `${table}_${column}_canonical`,
      column,
      column,
      column,
    ])
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column] of COLUMNS) {
    await knex.raw('alter table ?? drop constraint ??', [table, `${table}_${column}_canonical`])
  }
}

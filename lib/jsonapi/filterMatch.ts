import type { Knex } from 'knex'
import { whereAnyValue } from '../../db/prepared'

/**
 * A comma-list filter (as `csv` parses it) applied to one column: the row's value is one of the
 * values, or, for a filter given with an empty value (`filter[to_location_id]=`, `""` or `[]` in a
 * `/filtered` body), the row has no value at all. The reference answers an empty filter with the rows
 * where that value is null (a video remand has no destination), not with every row. The values go as
 * one array parameter ({@link whereAnyValue}): a list filtered by one id and by three runs one text.
 */
export function whereAnyOf(query: Knex.QueryBuilder, column: string, values: readonly string[]): Knex.QueryBuilder {
  return values.length ? whereAnyValue(query, column, values) : query.whereNull(column)
}

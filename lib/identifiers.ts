/**
 * The domain's own identifiers (prison numbers, PNC and CRO numbers) have one canonical form: trimmed
 * and upper case (DESIGN.md, Conventions: IDs). Every write stores that form and every lookup (the
 * people filters, the prison number's uniqueness, matching prisoner records on import) compares it, so
 * `z9999zz` and ` Z9999ZZ ` are the same prisoner. The database holds the same rule as CHECK
 * constraints (db/migrations/20261201100000_identifier_forms.ts).
 */
export function canonicalIdentifier(value: string | null): string | null
export function canonicalIdentifier(value: string | null | undefined): string | null | undefined
export function canonicalIdentifier(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value
  // A blank identifier is no identifier: stored as null, never as "".
  return value.trim().toUpperCase() || null
}

/** The SQL for a column's canonical form, for comparing with values already canonical. */
export function canonicalSql(column: string): string {
  return `nullif(upper(btrim(${column})), '')`
}

/**
 * The key a PNC number is matched on by the reference's `fuzzy_pnc` people filter: the short
 * (`20/123456A`) and long (`2020/0123456A`) forms of one number are the same key, `20/123456A`:
 * the year's last two digits, the serial without leading zeros, the check letter upper case. A value
 * not in PNC form keeps its canonical form, so it still matches itself.
 */
export function pncMatchKey(value: string): string | null {
  const canonical = canonicalIdentifier(value)
  const pnc = canonical && /^(?:\d{2})?(\d{2})\/0*(\d+)([A-Z])$/.exec(canonical)
  return pnc ? `${pnc[1]}/${pnc[2]}${pnc[3]}` : canonical
}

/** `pncMatchKey` in SQL, for a column (no `?` in the pattern: knex would read it as a binding). */
export function pncMatchKeySql(column: string): string {
  return `regexp_replace(${canonicalSql(column)}, '^([0-9]{2}){0,1}([0-9]{2})/0*([0-9]+)([A-Z])$', '\\2/\\3\\4')`
}

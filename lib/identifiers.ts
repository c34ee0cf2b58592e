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

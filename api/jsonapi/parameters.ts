import { DomainError } from '../../lib/errors'

/**
 * Parses `include=a.b,c` (a string, as openapi.yaml's `Include` declares) and checks every path
 * against what the endpoint supports: 400 unsupported_include otherwise. The check stays here, not in
 * the contract, because the supported paths differ by API version on the same operation.
 */
export function parseInclude(raw: unknown, supported: readonly string[]): string[] {
  if (raw === undefined || raw === '') return []
  const paths = [
    ...new Set(
      String(raw)
        .split(',')
        .map(p => p.trim())
        .filter(Boolean),
    ),
  ]
  const unsupported = paths.filter(p => !supported.includes(p))
  if (unsupported.length) {
    throw new DomainError(
      'unsupported_include',
      `${JSON.stringify(unsupported)} is not supported. Valid values are: ${JSON.stringify(supported)}`,
      { subject: { parameter: 'include' } },
    )
  }
  return paths
}

/** Parses `fields[TYPE]=a,b` (strings, as openapi.yaml's `Fields` declares) into a per-type allow list. */
export function parseFields(raw: unknown): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>()
  if (!raw || typeof raw !== 'object') return fields
  for (const [type, list] of Object.entries(raw as Record<string, unknown>)) {
    fields.set(
      type,
      new Set(
        String(list)
          .split(',')
          .map(f => f.trim())
          .filter(Boolean),
      ),
    )
  }
  return fields
}

import { DomainError } from '../../lib/errors'

/** Parses `include=a.b,c` and checks every path against what the endpoint supports (400 otherwise). */
export function parseInclude(raw: unknown, supported: readonly string[]): string[] {
  if (raw === undefined || raw === '') return []
  if (typeof raw !== 'string') {
    throw new DomainError('bad_request', 'include must be a comma-separated list', {
      subject: { parameter: 'include' },
    })
  }
  const paths = [
    ...new Set(
      raw
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

/** Parses `fields[TYPE]=a,b` into a per-type allow list. */
export function parseFields(raw: unknown): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>()
  if (!raw || typeof raw !== 'object') return fields
  for (const [type, list] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof list !== 'string') {
      throw new DomainError('bad_request', `fields[${type}] must be a comma-separated list`, {
        subject: { parameter: `fields[${type}]` },
      })
    }
    fields.set(
      type,
      new Set(
        list
          .split(',')
          .map(f => f.trim())
          .filter(Boolean),
      ),
    )
  }
  return fields
}

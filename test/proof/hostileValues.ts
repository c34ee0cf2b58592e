import fc from 'fast-check'
import { INT32, type OpenApiDocument } from '../../api/openapi'

type Schema = {
  $ref?: string
  type?: string | string[]
  format?: string
  enum?: unknown[]
  const?: unknown
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  allOf?: Schema[]
  oneOf?: Schema[]
  anyOf?: Schema[]
}

/**
 * Values the hostile-input policy refuses (README, "Errors and input rules"): NUL and unpaired
 * surrogates, impossible calendar dates and times of day, integers just past int32, numbers written
 * as strings (exponent, hex) and booleans standing in for numbers.
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  'nul\u0000byte',
  '\u0000',
  'lone \uD800 high',
  'lone \uDFFF low',
  '2026-02-30',
  '2026-13-01',
  '2026-02-30T10:00:00Z',
  '2026-01-01T25:00:00Z',
  '25:00',
  '10:61',
  INT32.maximum + 1,
  INT32.minimum - 1,
  Number.MAX_SAFE_INTEGER + 2,
  '1e3',
  '0x10',
  '  12  ',
  true,
  false,
  1.5,
)

/** A plausible value of a schema's kind, so that the hostile one elsewhere in the body is what is judged. */
function plausible(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum?.length) return fc.constantFrom(...schema.enum)
  const type = Array.isArray(schema.type) ? schema.type.find(t => t !== 'null') : schema.type
  if (type === 'integer') return fc.integer({ min: 0, max: 1000 })
  if (type === 'number') return fc.double({ min: 0, max: 1000, noNaN: true })
  if (type === 'boolean') return fc.boolean()
  if (schema.format === 'date') return fc.constant('2031-03-04')
  if (schema.format === 'date-time') return fc.constant('2031-03-04T10:00:00Z')
  if (schema.format === 'uuid') return fc.uuid().map(String)
  return fc.string({ maxLength: 12 })
}

/**
 * A body shaped like the operation's schema (its declared members, so that validation reaches the
 * values), each leaf either plausible or hostile. Depth-limited: contract schemas are shallow.
 */
export function bodyFromSchema(spec: OpenApiDocument, schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolve(spec, schema)
  const merged = resolved.allOf?.length
    ? resolved.allOf
        .map(s => resolve(spec, s))
        .reduce<Schema>((all, s) => ({ ...all, ...s, properties: { ...all.properties, ...s.properties } }), {})
    : (resolved.oneOf ?? resolved.anyOf)?.[0]
      ? resolve(spec, (resolved.oneOf ?? resolved.anyOf)![0]!)
      : resolved
  const leaf = fc.oneof({ weight: 3, arbitrary: plausible(merged) }, { weight: 1, arbitrary: hostileValue })
  if (depth > 5) return leaf
  if (merged.properties) {
    const members = Object.fromEntries(
      Object.entries(merged.properties).map(([name, child]) => [name, bodyFromSchema(spec, child, depth + 1)]),
    )
    return fc.record(members, { requiredKeys: merged.required?.filter(name => name in members) ?? [] })
  }
  if (merged.items) return fc.array(bodyFromSchema(spec, merged.items, depth + 1), { maxLength: 2 })
  return leaf
}

function resolve(spec: OpenApiDocument, schema: Schema): Schema {
  let current = schema
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    const found = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], spec)
    current = (found as Schema) ?? {}
  }
  return current
}

/** The JSON request body schema an operation declares, if any. */
export function requestBodySchema(operation: unknown): Schema | undefined {
  const content = (operation as { requestBody?: { content?: Record<string, { schema?: Schema }> } }).requestBody
    ?.content
  return content?.['application/vnd.api+json']?.schema ?? content?.['application/json']?.schema
}

/** The query parameters an operation declares, by name (references resolved). */
export function queryParameterNames(spec: OpenApiDocument, operation: unknown): string[] {
  const parameters = (operation as { parameters?: Schema[] }).parameters ?? []
  return parameters
    .map(p => resolve(spec, p) as { in?: string; name?: string })
    .filter(p => p.in === 'query' && p.name)
    .map(p => p.name!)
}

/**
 * Percent-encodes a path segment, writing an unpaired surrogate as the bytes a careless client would
 * send for it (its CESU-8 form, not UTF-8), where encodeURIComponent would throw.
 */
export function encodeSegment(value: string): string {
  return value
    .split(/([\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/)
    .map((part, i) =>
      i % 2 === 1
        ? [
            0xe0 | (part.charCodeAt(0) >> 12),
            0x80 | ((part.charCodeAt(0) >> 6) & 0x3f),
            0x80 | (part.charCodeAt(0) & 0x3f),
          ]
            .map(byte => `%${byte.toString(16).toUpperCase()}`)
            .join('')
        : encodeURIComponent(part),
    )
    .join('')
}

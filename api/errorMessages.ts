import type { Request } from 'express'
import { resolveRef } from './openapi'

type Node = Record<string, unknown> & { 'x-error-message'?: string }
const resolve = (node: unknown) => resolveRef<Node>(node as Node)

/** The schema of a body member, one step at a time through `properties`, `items` and `$ref`s. */
function memberSchema(schema: Node | undefined, steps: string[]): Node | undefined {
  let current = resolve(schema)
  for (const step of steps) {
    const properties = current?.properties as Record<string, unknown> | undefined
    current = resolve(/^\d+$/.test(step) && current?.items ? current.items : properties?.[step])
  }
  return current
}

/**
 * The message openapi.yaml gives, as `x-error-message`, for a refused parameter or body member of
 * the operation the request was routed to: where a seed documents the reference's wording for a bad
 * input (NOMIS's `Invalid or missing noms_id`), the contract carries it next to the rule, and this is
 * the one place that reads it. `place` is the validator's `/params/noms_id`, `/query/from_date`,
 * `/query/filter/date_from` (a deepObject parameter's member), `/headers/x-client-name` or `/body/amount`. Undefined when the contract says nothing, so the validator's own message stands.
 */
export function declaredMessage(req: Request, place: string | undefined): string | undefined {
  const operation = (req as Request & { openapi?: { schema?: Node } }).openapi?.schema
  if (!operation || !place) return undefined
  const [, location, name, ...rest] = place.split('/')
  if (!location || !name) return undefined
  if (location === 'body') {
    const content = resolve(operation.requestBody)?.content as Record<string, { schema?: unknown }> | undefined
    const schema = content?.['application/json']?.schema
    return memberSchema(schema as Node, [name, ...rest])?.['x-error-message']
  }
  const parameters = ((operation.parameters as unknown[] | undefined) ?? []).map(resolve)
  const where = { params: 'path', headers: 'header' }[location] ?? location
  // The validator names a header in lower case, as Node holds it; header names are case-insensitive.
  const named = (p: Node) =>
    where === 'header' ? String(p.name).toLowerCase() === name.toLowerCase() : p.name === name
  const parameter = parameters.find(p => p?.in === where && named(p))
  // The parameter's own message, else its schema's: a deepObject parameter's member
  // (`/query/filter/date_from`) carries its own message.
  return (
    (rest.length ? undefined : parameter?.['x-error-message']) ??
    memberSchema(parameter?.schema as Node, rest)?.['x-error-message']
  )
}

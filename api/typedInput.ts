import type { Request } from 'express'
import type { operations } from './contract'
import { loadOpenApi, operations as declaredOperations, resolveRef } from './openapi'

type Parameters<Op extends keyof operations> = operations[Op] extends { parameters: infer P } ? P : never
type Part<P, K extends string> = P extends { [key in K]?: infer V }
  ? [V] extends [never]
    ? never
    : NonNullable<V>
  : never

/** The plain-JSON request body openapi.yaml declares for an operation (NOMIS, visits, queue-admin). */
export type JsonBody<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer Body } }
}
  ? Body
  : never

type Parameter = { name: string; in: string; schema?: { type?: string } }
type Scalar = 'integer' | 'number' | 'boolean'

let scalarParameters: Map<string, { name: string; in: string; type: Scalar }[]> | undefined

/** Per operation, its path and query parameters whose declared type is not a string. */
function nonStringParameters(operationId: string) {
  scalarParameters ??= new Map(
    declaredOperations(loadOpenApi()).map(({ operation }) => {
      const declared = ((operation as { parameters?: Parameter[] }).parameters ?? []).map(p => resolveRef(p)!)
      const scalars = declared
        .map(p => ({ name: p.name, in: p.in, type: resolveRef(p.schema)?.type }))
        .filter((p): p is { name: string; in: string; type: Scalar } =>
          ['integer', 'number', 'boolean'].includes(p.type ?? ''),
        )
      return [operation.operationId ?? '', scalars]
    }),
  )
  return scalarParameters.get(operationId) ?? []
}

/** A parameter's text as its declared type; the validator has already checked that it is one. */
const asDeclared = (text: string, type: Scalar) => (type === 'boolean' ? text === 'true' : Number(text))

/**
 * The path parameters, query parameters and JSON body of a request to operation `Op`, typed from
 * openapi.yaml through api/contract.d.ts. express-openapi-validator has already checked them (a
 * request that does not fit never reaches the handler); express hands parameters over as text, so
 * those declared as integers, numbers or booleans are given here in their declared type (`limit` a
 * number, `include_inactive` a boolean). Bodies are never coerced. An optional body that was not sent
 * is `{}`. Undeclared members of a body may be present but are not in its type: read members by name.
 *
 * @throws Error when the request was routed to another operation: a handler reads only its own input.
 */
export function input<Op extends keyof operations>(
  req: Request,
  operationId: Op,
): {
  path: Part<Parameters<Op>, 'path'>
  query: Part<Parameters<Op>, 'query'>
  body: JsonBody<Op>
} {
  const routed = (req as Request & { openapi?: { schema?: { operationId?: string } } }).openapi?.schema?.operationId
  if (routed !== operationId) throw new Error(`input(${operationId}) read in the handler of ${routed}`)
  const path: Record<string, unknown> = { ...req.params }
  const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) }
  for (const p of nonStringParameters(operationId)) {
    const values = p.in === 'path' ? path : p.in === 'query' ? query : undefined
    if (typeof values?.[p.name] === 'string') values[p.name] = asDeclared(values[p.name] as string, p.type)
  }
  return { path: path as never, query: query as never, body: (req.body ?? {}) as never }
}

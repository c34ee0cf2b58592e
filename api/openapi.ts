import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'

export const openapiPath = path.join(__dirname, '..', 'openapi.yaml')

/**
 * What the service reads of an operation besides its schemas. `x-roles` lists the client roles any
 * one of which the operation needs (absent: any authenticated client); checked before the body is read.
 * `x-write-scope` says what a write of `/api` changes (lib/auth/writeScope WriteScope; api/setUpWriteScope).
 */
export type Operation = {
  operationId?: string
  'x-idempotent'?: boolean
  'x-roles'?: string[]
  'x-write-scope'?: unknown
  /** Only its media types are read (api/setUpNegotiation, api/setUpMultipart). */
  requestBody?: { content?: Record<string, unknown> }
  /** Only the media types of each status are read (api/setUpNegotiation). */
  responses?: Record<string, { content?: Record<string, unknown> }>
}
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>> } & Record<string, unknown>

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']

/** The range of a PostgreSQL `integer` column, the narrowest the service stores an integer in. */
export const INT32 = { minimum: -2147483648, maximum: 2147483647 } as const

function isIntegerSchema(node: Record<string, unknown>): boolean {
  return node.type === 'integer' || (Array.isArray(node.type) && node.type.includes('integer'))
}

/**
 * A safety net under the contract: every integer without its own bound is bounded to int32, so a
 * forgotten `maximum` answers 400/422 at the door rather than an overflow (SQLSTATE 22003) in the
 * database. Bounds the contract declares are kept, exclusive ones included.
 */
export function boundIntegers(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(boundIntegers)
    return
  }
  if (!node || typeof node !== 'object') return
  const schema = node as Record<string, unknown>
  if (isIntegerSchema(schema)) {
    if (schema.maximum === undefined && schema.exclusiveMaximum === undefined) schema.maximum = INT32.maximum
    if (schema.minimum === undefined && schema.exclusiveMinimum === undefined) schema.minimum = INT32.minimum
  }
  Object.values(schema).forEach(boundIntegers)
}

let cached: OpenApiDocument | undefined

/** openapi.yaml as the service enforces it: parsed once, integers bounded (boundIntegers). */
export function loadOpenApi(): OpenApiDocument {
  if (!cached) {
    // YAML.parse hands back strings sliced from the file's text, so any of them kept (every `$ref`) kept
    // the whole text, a megabyte, alive for the life of the process; copied through JSON, each is its own.
    const doc = JSON.parse(JSON.stringify(YAML.parse(fs.readFileSync(openapiPath, 'utf8')))) as OpenApiDocument
    boundIntegers(doc)
    cached = doc
  }
  return cached
}

export function operations(doc: OpenApiDocument): { path: string; method: string; operation: Operation }[] {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path: p, method, operation })),
  )
}

/** Follows local `$ref`s (`#/components/parameters/NomsId`) in openapi.yaml to the object they name. */
export function resolveRef<T extends object>(node: T | { $ref: string } | undefined): T | undefined {
  let current: unknown = node
  for (let hops = 0; hops < 10 && current && typeof current === 'object' && '$ref' in current; hops++) {
    current = String(current.$ref)
      .slice(2)
      .split('/')
      .reduce<unknown>((at, step) => (at as Record<string, unknown> | undefined)?.[step], loadOpenApi())
  }
  return current as T | undefined
}

import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'

export const openapiPath = path.join(__dirname, '..', 'openapi.yaml')

type Operation = { operationId?: string; 'x-idempotent'?: boolean }
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>> } & Record<string, unknown>

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']

let cached: OpenApiDocument | undefined

export function loadOpenApi(): OpenApiDocument {
  cached ??= YAML.parse(fs.readFileSync(openapiPath, 'utf8')) as OpenApiDocument
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

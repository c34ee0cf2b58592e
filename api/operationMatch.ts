import type { OpenApiDocument, Operation } from './openapi'
import { operations } from './openapi'

/** An operation of openapi.yaml a request is for, with its path parameters by name (still percent-encoded). */
export type MatchedOperation = { path: string; operation: Operation; pathParameters: Record<string, string> }

type Candidate = { path: string; method: string; operation: Operation; pattern: RegExp; names: string[] }

/**
 * Finds a request's operation before express-openapi-validator does, so that middleware running
 * ahead of body parsing (roles, hostile-input checks) can use what the contract says about it. A
 * literal segment beats a template (`/api/moves/filtered` over `/api/moves/{id}`), as the validator's
 * router does. Returns undefined for a path or method the contract does not declare; the validator
 * then answers 404 or 405 in its place.
 */
export function operationMatcher(
  spec: OpenApiDocument,
): (method: string, path: string) => MatchedOperation | undefined {
  const candidates: Candidate[] = operations(spec)
    .map(({ path, method, operation }) => {
      const names: string[] = []
      const source = path
        .split('/')
        .map(segment =>
          segment.replace(/\{([^}]+)\}|[^{]+/g, (whole, name: string | undefined) => {
            if (name === undefined) return whole.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
            names.push(name)
            return '([^/]+)'
          }),
        )
        .join('/')
      return { path, method, operation, pattern: new RegExp(`^${source}/?$`), names }
    })
    .sort((a, b) => a.names.length - b.names.length)
  // A path without parameters is found by its text; only templates are tried in turn, each once per request.
  const literal = new Map<string, Candidate>()
  for (const c of candidates) if (!c.names.length) literal.set(`${c.method} ${c.path}`, c)
  const templates = candidates.filter(c => c.names.length)
  return (method, requestPath) => {
    const wanted = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase()
    const exact =
      literal.get(`${wanted} ${requestPath}`) ??
      (requestPath.endsWith('/') ? literal.get(`${wanted} ${requestPath.slice(0, -1)}`) : undefined)
    if (exact) return { path: exact.path, operation: exact.operation, pathParameters: {} }
    for (const candidate of templates) {
      if (candidate.method !== wanted) continue
      const found = candidate.pattern.exec(requestPath)
      if (!found) continue
      const pathParameters = Object.fromEntries(candidate.names.map((name, i) => [name, found[i + 1]!]))
      return { path: candidate.path, operation: candidate.operation, pathParameters }
    }
    return undefined
  }
}

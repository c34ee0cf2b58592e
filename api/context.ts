import type { Request, Response } from 'express'
import type { ApiClient } from '../lib/auth/clients'
import type { StoredResponse } from '../lib/idempotency/store'
import type { Write } from '../lib/write'
import type { SerializeContext } from './jsonapi/document'
import type { Services } from '../lib/services'

declare module 'express-serve-static-core' {
  interface Request {
    apiVersion?: number
    apiClient?: ApiClient
    correlationId?: string
  }
}

/** A read: answers on `res` itself. */
export type Handler = (req: Request, res: Response) => Promise<void>

/**
 * What a write handler runs with (api/writePath.ts): the one transaction the write path opened, the
 * clock and outboxes (lib/write.ts), and the authenticated client. `afterCommit` registers work that
 * may start only once the change is committed (work carried on after the answer, on other
 * connections); it is dropped when the write fails.
 */
export type WriteContext = Write & { client: ApiClient; afterCommit: (work: () => void) => void }

/**
 * A write: reads its typed input from `req` (contractResource, input), changes state only through
 * `ctx.tx`, and answers what to send; the write path stores that answer with the idempotency key in
 * the same transaction, commits, then sends it. It never opens a transaction or touches `res`.
 */
export type WriteHandler = (req: Request, ctx: WriteContext) => Promise<WriteResponse>

/** An operation the router runs in the write path: see `write`. */
export type WriteOperation = { write: WriteHandler }

/** Marks a handler as a write, for the router to run in the one write path (api/writePath.ts). */
export function write(handler: WriteHandler): WriteOperation {
  return { write: handler }
}

export function isWrite(entry: Handler | WriteOperation): entry is WriteOperation {
  return typeof entry === 'object'
}

export type HandlerTable = Record<string, Handler | WriteOperation>
export type HandlerFactory = (services: Services) => HandlerTable

export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`
}

export function serializeContext(req: Request): SerializeContext {
  return { version: req.apiVersion ?? 1, baseUrl: baseUrl(req), supplierId: req.apiClient?.supplierId ?? null }
}

export function client(req: Request): ApiClient {
  if (!req.apiClient) throw new Error('handler reached without an authenticated client')
  return req.apiClient
}

/** The Content-Type every /api response carries, exactly. */
export const JSONAPI_MEDIA_TYPE = 'application/vnd.api+json'

/** What a write answers: kept as a document so that response validation still sees it. */
export type WriteResponse = { status: number; headers: Record<string, string>; document?: unknown }

export function jsonApiResponse(
  status: number,
  document?: unknown,
  headers: Record<string, string> = {},
): WriteResponse {
  return { status, headers, document }
}

/** A write's answer in the other families: plain JSON, or no body. */
export const jsonResponse = jsonApiResponse

/** The Content-Type of a JSON answer: JSON:API's media type on /api, plain JSON in the other families. */
export function jsonContentType(req: Request): string {
  return req.originalUrl.startsWith('/api/') ? JSONAPI_MEDIA_TYPE : 'application/json'
}

/** A write's answer as the idempotency store keeps it, to be replayed byte for byte. */
export function stored(req: Request, response: WriteResponse): StoredResponse {
  return {
    status: response.status,
    headers:
      response.document === undefined
        ? response.headers
        : { 'Content-Type': jsonContentType(req), ...response.headers },
    body: response.document === undefined ? '' : JSON.stringify(response.document),
  }
}

/** Replays a stored response byte for byte. */
export function sendStored(res: Response, response: StoredResponse): void {
  res.status(response.status)
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value)
  // A stored 204 has an empty body: replay it as no body at all, as the first answer was.
  if (response.body === '') res.end()
  else res.end(response.body)
}

export function send(res: Response, response: WriteResponse): void {
  res.status(response.status)
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value)
  if (response.document === undefined) res.end()
  else res.json(response.document)
}

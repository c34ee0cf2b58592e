import type { Request, Response } from 'express'
import type { Knex } from 'knex'
import type { ApiClient } from '../lib/auth/clients'
import type { StoredResponse } from '../lib/idempotency/store'
import type { SerializeContext } from './jsonapi/document'
import type { Services } from '../lib/services'

export type IdempotentClaim = { id: number }

declare module 'express-serve-static-core' {
  interface Request {
    apiVersion?: number
    apiClient?: ApiClient
    idempotentClaim?: IdempotentClaim
    correlationId?: string
  }
}

export type Handler = (req: Request, res: Response) => Promise<void>
export type HandlerTable = Record<string, Handler>
export type HandlerFactory = (services: Services) => HandlerTable

export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`
}

export function serializeContext(req: Request): SerializeContext {
  return { version: req.apiVersion ?? 1, baseUrl: baseUrl(req) }
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

function stored(response: WriteResponse): StoredResponse {
  return {
    status: response.status,
    headers:
      response.document === undefined ? response.headers : { 'Content-Type': JSONAPI_MEDIA_TYPE, ...response.headers },
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

/**
 * Runs a state change in one transaction that also stores the idempotent response, then sends it.
 * Either the change and its stored response are both committed, or neither is.
 */
export async function writeTransaction(
  services: Services,
  req: Request,
  res: Response,
  work: (tx: Knex.Transaction) => Promise<WriteResponse>,
): Promise<void> {
  const response = await services.db.transaction(async tx => {
    const result = await work(tx)
    if (req.idempotentClaim) await services.idempotency.complete(tx, req.idempotentClaim.id, stored(result))
    return result
  })
  send(res, response)
}

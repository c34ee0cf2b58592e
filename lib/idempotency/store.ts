import { createHash } from 'node:crypto'
import { deleted, type Tx } from '../../db/client'
import { prepared } from '../../db/prepared'
import type { Clock } from '../clock'

export type StoredResponse = { status: number; headers: Record<string, string>; body: string }

export type ClaimRequest = {
  apiClientId: string
  key: string
  method: string
  path: string
  body: unknown
}

export type ClaimResult =
  | { outcome: 'claimed'; id: number }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'in_flight' }
  | { outcome: 'mismatch' }

/** Key order must not make two equal bodies look different. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\n${path}\n${canonicalJson(body)}`)
    .digest('hex')
}

type KeyRow = {
  id: number
  fingerprint: string
  locked_at: Date | null
  completed_at: Date | null
  response_status: number | null
  response_headers: Record<string, string> | null
  response_body: string | null
}

/**
 * Postgres-backed idempotency keys. A claim is committed on its own (so a concurrent duplicate sees
 * it in flight); the response is stored by `complete` inside the use case's transaction, so the
 * state change and the stored response commit or roll back together.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Tx,
    private readonly clock: Clock,
    private readonly lockSeconds: number,
  ) {}

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const print = fingerprint(request.method, request.path, request.body)
    const now = this.clock.now()
    // Prepared, as the completion below: every write request claims a key and completes it.
    const inserted = await prepared(this.db('idempotency_keys'), 'fixed')
      .insert({
        api_client_id: request.apiClientId,
        key: request.key,
        fingerprint: print,
        method: request.method,
        path: request.path,
        locked_at: now,
        created_at: now,
      })
      .onConflict(['api_client_id', 'key'])
      .ignore()
      .returning<{ id: number }[]>('id')
    if (inserted[0]) return { outcome: 'claimed', id: inserted[0].id }

    const existing: KeyRow | undefined = await this.db('idempotency_keys')
      .where({ api_client_id: request.apiClientId, key: request.key })
      .first()
    if (!existing) return this.claim(request) // reaped between the insert and the read
    if (existing.fingerprint !== print) return { outcome: 'mismatch' }
    if (existing.completed_at && existing.response_status !== null) {
      return {
        outcome: 'replay',
        response: {
          status: existing.response_status,
          headers: existing.response_headers ?? {},
          body: existing.response_body ?? '',
        },
      }
    }
    // A claim whose holder died (crash, killed process) is taken over once its lock has gone stale.
    const staleBefore = new Date(now.getTime() - this.lockSeconds * 1000)
    const takenOver = await this.db('idempotency_keys')
      .where({ id: existing.id })
      .whereNull('completed_at')
      .andWhere('locked_at', '<', staleBefore)
      .update({ locked_at: now })
    return takenOver === 1 ? { outcome: 'claimed', id: existing.id } : { outcome: 'in_flight' }
  }

  /** Stores the response; call it inside the transaction that makes the state change. */
  async complete(tx: Tx, id: number, response: StoredResponse): Promise<void> {
    await prepared(tx('idempotency_keys'), 'fixed')
      .where({ id })
      .update({
        completed_at: this.clock.now(),
        locked_at: null,
        response_status: response.status,
        response_headers: JSON.stringify(response.headers),
        response_body: response.body,
      })
  }

  /** A request that failed changed nothing, so its key is freed for a corrected retry. */
  async release(id: number): Promise<void> {
    await this.db('idempotency_keys').where({ id }).whereNull('completed_at').delete()
  }

  async reap(retentionHours: number): Promise<number> {
    const before = new Date(this.clock.now().getTime() - retentionHours * 3600 * 1000)
    return deleted(this.db('idempotency_keys').where('created_at', '<', before).delete())
  }
}

import { randomUUID } from 'node:crypto'
import { deleted, type Tx } from '../../db/client'
import type { Clock } from '../clock'
import { hashSecret, randomToken, tokenDigest, verifySecret } from './secrets'

/**
 * What a client may do besides what its supplier gives it. `frontend` is the PMU/OCA frontend's: all of
 * `/api` with no supplier's limits (lib/auth/writeScope); a client made with no supplier and no role is
 * given it, so that it stays a frontend client. `diagnostics-pii` adds the person moved to a move's
 * diagnostics (GET /diagnostics/moves/{move}); no client has it unless made with it. `subject-access`
 * answers subject access requests (GET /subject-access-request), and nothing else.
 */
export const ROLES = [
  'frontend',
  'nomis',
  'records-admin',
  'visits-admin',
  'queue-admin',
  'admin',
  'diagnostics-pii',
  'subject-access',
] as const
export type Role = (typeof ROLES)[number]

export type ApiClient = {
  id: string
  name: string
  clientId: string
  supplierId: string | null
  roles: string[]
}

type ClientRow = {
  id: string
  name: string
  client_id: string
  secret_hash: string
  supplier_id: string | null
  roles: string[]
}

function toClient(row: ClientRow): ApiClient {
  return { id: row.id, name: row.name, clientId: row.client_id, supplierId: row.supplier_id, roles: row.roles }
}

export class UnknownSupplierError extends Error {}

export async function createClient(
  tx: Tx,
  input: { name: string; supplierKey?: string; roles?: string[] },
): Promise<{ client: ApiClient; clientSecret: string }> {
  let supplierId: string | null = null
  if (input.supplierKey) {
    const supplier = await tx('suppliers').where({ key: input.supplierKey }).first('id')
    if (!supplier) throw new UnknownSupplierError(`unknown supplier "${input.supplierKey}"`)
    supplierId = supplier.id
  }
  const clientSecret = randomToken(32)
  const row: ClientRow = {
    id: randomUUID(),
    name: input.name,
    client_id: randomToken(18),
    secret_hash: await hashSecret(clientSecret),
    supplier_id: supplierId,
    roles: supplierId || input.roles?.length ? [...new Set(input.roles)] : ['frontend'],
  }
  await tx('api_clients').insert(row)
  return { client: toClient(row), clientSecret }
}

/**
 * Checked in place of an unknown client's hash: a random salt and a random digest in hashSecret's
 * format, so verifying against it costs the same scrypt, and no secret matches it (but by a 2^-256
 * chance). A constant made once per process: nothing to compute lazily, nothing to inject.
 */
const UNKNOWN_CLIENT_HASH = `scrypt$${randomToken(16)}$${randomToken(32)}`

export type IssuedToken = { access_token: string; token_type: 'Bearer'; expires_in: number; created_at: number }

export async function issueToken(
  tx: Tx,
  clock: Clock,
  ttlSeconds: number,
  clientId: string,
  clientSecret: string,
): Promise<IssuedToken | null> {
  const row = await tx<ClientRow>('api_clients').where({ client_id: clientId }).first()
  // An unknown client costs the same scrypt as a wrong secret, so timing does not tell which ids exist.
  const matches = await verifySecret(clientSecret, row?.secret_hash ?? UNKNOWN_CLIENT_HASH)
  if (!row || !matches) return null
  const token = randomToken(32)
  const now = clock.now()
  await tx('access_tokens').insert({
    token_hash: tokenDigest(token),
    api_client_id: row.id,
    created_at: now,
    expires_at: new Date(now.getTime() + ttlSeconds * 1000),
  })
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: ttlSeconds,
    created_at: Math.floor(now.getTime() / 1000),
  }
}

async function findToken(tx: Tx, clock: Clock, token: string): Promise<{ client: ApiClient; expiresAt: Date } | null> {
  const row = await tx('access_tokens as t')
    .join('api_clients as c', 'c.id', 't.api_client_id')
    .where('t.token_hash', tokenDigest(token))
    .andWhere('t.expires_at', '>', clock.now())
    .first<(ClientRow & { expires_at: Date }) | undefined>(
      'c.id',
      'c.name',
      'c.client_id',
      'c.supplier_id',
      'c.roles',
      't.expires_at',
    )
  return row ? { client: toClient(row), expiresAt: row.expires_at } : null
}

export async function authenticate(tx: Tx, clock: Clock, token: string): Promise<ApiClient | null> {
  return (await findToken(tx, clock, token))?.client ?? null
}

/**
 * Remembers authenticated tokens for a few seconds, so that a client's burst of requests costs one
 * token lookup rather than one each. An entry never outlives its token (checked on the clock), and
 * tokens are only ever withdrawn by expiring, so the cache can only delay a change of a client's
 * supplier or roles, by at most `ttlMs`. Unknown tokens are not remembered. Bounded in size.
 */
export class TokenCache {
  private readonly entries = new Map<string, { client: ApiClient; until: number }>()

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  async authenticate(tx: Tx, token: string): Promise<ApiClient | null> {
    const now = this.clock.now().getTime()
    const digest = tokenDigest(token)
    const hit = this.entries.get(digest)
    if (hit && hit.until > now) return hit.client
    this.entries.delete(digest)
    const found = await findToken(tx, this.clock, token)
    if (!found || this.ttlMs === 0) return found?.client ?? null
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(digest, { client: found.client, until: Math.min(now + this.ttlMs, found.expiresAt.getTime()) })
    return found.client
  }
}

export async function deleteExpiredTokens(tx: Tx, clock: Clock): Promise<number> {
  return deleted(tx('access_tokens').where('expires_at', '<', clock.now()).delete())
}

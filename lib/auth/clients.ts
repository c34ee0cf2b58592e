import { randomUUID } from 'node:crypto'
import { deleted, type Tx } from '../../db/client'
import type { Clock } from '../clock'
import { hashSecret, randomToken, tokenDigest, verifySecret } from './secrets'

export const ROLES = ['nomis', 'records-admin', 'visits-admin', 'admin'] as const
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
    roles: [...new Set(input.roles ?? [])],
  }
  await tx('api_clients').insert(row)
  return { client: toClient(row), clientSecret }
}

export type IssuedToken = { access_token: string; token_type: 'Bearer'; expires_in: number; created_at: number }

export async function issueToken(
  tx: Tx,
  clock: Clock,
  ttlSeconds: number,
  clientId: string,
  clientSecret: string,
): Promise<IssuedToken | null> {
  const row = await tx<ClientRow>('api_clients').where({ client_id: clientId }).first()
  if (!row || !(await verifySecret(clientSecret, row.secret_hash))) return null
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

export async function authenticate(tx: Tx, clock: Clock, token: string): Promise<ApiClient | null> {
  const row = await tx('access_tokens as t')
    .join('api_clients as c', 'c.id', 't.api_client_id')
    .where('t.token_hash', tokenDigest(token))
    .andWhere('t.expires_at', '>', clock.now())
    .first<ClientRow | undefined>('c.id', 'c.name', 'c.client_id', 'c.supplier_id', 'c.roles')
  return row ? toClient(row) : null
}

export async function deleteExpiredTokens(tx: Tx, clock: Clock): Promise<number> {
  return deleted(tx('access_tokens').where('expires_at', '<', clock.now()).delete())
}

import { randomUUID } from 'node:crypto'
import type { Tx } from '../../db/client'
import { DomainError, attribute, relationship, type ErrorSubject } from '../errors'
import { whereAnyOf } from '../jsonapi/filterMatch'
import { encrypt } from './secrets'

export type SubscriptionRow = {
  id: string
  supplier_id: string
  callback_url: string | null
  secret_encrypted: string | null
  username: string | null
  password_encrypted: string | null
  email_address: string | null
  enabled: boolean
  created_at: Date
  updated_at: Date
}

export type SubscriptionInput = {
  callback_url?: string | null
  secret?: string | null
  username?: string | null
  password?: string | null
  email_address?: string | null
  enabled?: boolean
}

/**
 * The rules across members of a whole subscription (after a PATCH is merged into the stored one);
 * each member's own shape (an http(s) URL, an email address) is openapi.yaml's SubscriptionAttributes.
 */
function check(merged: {
  callback_url: string | null
  has_secret: boolean
  email_address: string | null
  username: string | null
  has_password: boolean
}): { detail: string; subject: ErrorSubject }[] {
  const problems: { detail: string; subject: ErrorSubject }[] = []
  const at = (name: string) => attribute(name)
  if (merged.callback_url === null && merged.email_address === null)
    problems.push({
      detail: 'A subscription needs a callback_url, an email_address or both',
      subject: at('callback_url'),
    })
  if (merged.callback_url !== null && !merged.has_secret)
    problems.push({ detail: 'A callback_url needs a secret to sign notifications with', subject: at('secret') })
  if ((merged.username === null) !== !merged.has_password)
    problems.push({ detail: 'username and password go together', subject: at('username') })
  return problems
}

export async function createSubscription(
  tx: Tx,
  key: Buffer,
  supplierId: string,
  input: SubscriptionInput,
  now: Date,
): Promise<SubscriptionRow> {
  const problems = check({
    callback_url: input.callback_url ?? null,
    has_secret: Boolean(input.secret),
    email_address: input.email_address ?? null,
    username: input.username ?? null,
    has_password: Boolean(input.password),
  })
  if (problems.length) throw DomainError.many('unprocessable_entity', problems)
  if (!(await tx('suppliers').where({ id: supplierId }).first('id'))) {
    throw new DomainError('not_found', `Couldn't find Supplier with 'id'=${supplierId}`, {
      subject: relationship('supplier'),
    })
  }
  const [row] = (await tx('subscriptions')
    .insert({
      id: randomUUID(),
      supplier_id: supplierId,
      callback_url: input.callback_url ?? null,
      secret_encrypted: input.secret ? encrypt(key, input.secret) : null,
      username: input.username ?? null,
      password_encrypted: input.password ? encrypt(key, input.password) : null,
      email_address: input.email_address ?? null,
      enabled: input.enabled ?? true,
      created_at: now,
      updated_at: now,
    })
    .returning('*')) as SubscriptionRow[]
  return row!
}

/** A subscription by its id, a UUID (openapi.yaml's Id parameter); 404 for an unknown one. */
export async function findSubscription(tx: Tx, id: string): Promise<SubscriptionRow> {
  const row = (await tx('subscriptions').where({ id }).first()) as SubscriptionRow | undefined
  if (!row) throw new DomainError('not_found', `Couldn't find Subscription with 'id'=${id}`)
  return row
}

export async function listSubscriptions(
  tx: Tx,
  filter: { supplier_id?: string[] },
  page: { number: number; size: number },
): Promise<{ rows: SubscriptionRow[]; total: number }> {
  const base = () => {
    const q = tx('subscriptions')
    if (filter.supplier_id) whereAnyOf(q, 'supplier_id', filter.supplier_id)
    return q
  }
  const [{ count }] = (await base().count('* as count')) as [{ count: string | number }]
  const rows = (await base()
    .select('*')
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .limit(page.size)
    .offset((page.number - 1) * page.size)) as SubscriptionRow[]
  return { rows, total: Number(count) }
}

/**
 * Changes a subscription. Re-enabling one returns the pending notifications that a pause held
 * back, so that the caller queues them in the same transaction.
 */
export async function updateSubscription(
  tx: Tx,
  key: Buffer,
  id: string,
  input: SubscriptionInput,
  now: Date,
): Promise<{ row: SubscriptionRow; resumed: boolean }> {
  const current = await findSubscription(tx, id)
  await tx('subscriptions').where({ id }).forUpdate().first('id')
  const pick = <K extends keyof SubscriptionInput>(name: K, stored: SubscriptionInput[K]) =>
    input[name] === undefined ? stored : input[name]
  const merged = {
    callback_url: pick('callback_url', current.callback_url) ?? null,
    email_address: pick('email_address', current.email_address) ?? null,
    username: pick('username', current.username) ?? null,
  }
  const secret =
    input.secret === undefined ? current.secret_encrypted : input.secret ? encrypt(key, input.secret) : null
  const password =
    input.password === undefined ? current.password_encrypted : input.password ? encrypt(key, input.password) : null
  const problems = check({ ...merged, has_secret: secret !== null, has_password: password !== null })
  if (problems.length) throw DomainError.many('unprocessable_entity', problems)
  const enabled = input.enabled ?? current.enabled
  const [row] = (await tx('subscriptions')
    .where({ id })
    .update(
      { ...merged, secret_encrypted: secret, password_encrypted: password, enabled, updated_at: now },
      '*',
    )) as SubscriptionRow[]
  return { row: row!, resumed: enabled && !current.enabled }
}

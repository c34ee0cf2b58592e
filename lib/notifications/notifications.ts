import type { Tx } from '../../db/client'
import { DomainError } from '../errors'
import type { Write } from '../write'

export type AttemptRow = {
  notification_id: string
  attempted_at: Date
  duration_ms: number
  response_status: number | null
  error: string | null
}

export type NotificationRow = {
  id: string
  subscription_id: string
  move_id: string
  channel: string
  event_type: string
  event_at: Date
  status: string
  delivered_at: Date | null
  attempts: AttemptRow[]
}

const COLUMNS = ['id', 'subscription_id', 'move_id', 'channel', 'event_type', 'event_at', 'status', 'delivered_at']

/** Notifications with their attempts: two queries whatever the count. */
async function withAttempts(tx: Tx, rows: Omit<NotificationRow, 'attempts'>[]): Promise<NotificationRow[]> {
  const attempts = rows.length
    ? ((await tx('notification_attempts')
        .whereIn(
          'notification_id',
          rows.map(r => r.id),
        )
        .orderBy('id')
        .select('notification_id', 'attempted_at', 'duration_ms', 'response_status', 'error')) as AttemptRow[])
    : []
  return rows.map(row => ({ ...row, attempts: attempts.filter(a => a.notification_id === row.id) }))
}

/** A move's notifications in order; `moveId` is a UUID (openapi.yaml's Id parameter). 404 for an unknown move. */
export async function moveNotifications(tx: Tx, moveId: string): Promise<NotificationRow[]> {
  if (!(await tx('moves').where({ id: moveId }).first('id'))) {
    throw new DomainError('not_found', `Couldn't find Move with 'id'=${moveId}`)
  }
  const rows = await tx('notifications').where({ move_id: moveId }).orderBy('sequence').select(COLUMNS)
  return withAttempts(tx, rows)
}

/**
 * Re-queues a dead-lettered notification with a fresh set of retries. The move row is locked as
 * the outbox does, so that the chain of the move's notifications stays consistent. `id` is a UUID
 * (openapi.yaml's Id parameter); 404 for an unknown one.
 */
export async function retryNotification(
  { tx, outbox }: Pick<Write, 'tx' | 'outbox'>,
  id: string,
  now: Date,
): Promise<NotificationRow> {
  const found = (await tx('notifications').where({ id }).first('move_id')) as { move_id: string } | undefined
  if (!found) throw new DomainError('not_found', `Couldn't find Notification with 'id'=${id}`)
  await tx('moves').where({ id: found.move_id }).forUpdate().first('id')
  const row = (await tx('notifications').where({ id }).first('status', 'subscription_id', 'move_id', 'channel')) as {
    status: string
    subscription_id: string
    move_id: string
    channel: string
  }
  if (row.status !== 'dead_lettered') {
    throw new DomainError('invalid_transition', `A notification that is ${row.status} cannot be retried`, {
      meta: { status: row.status, event: 'retry' },
    })
  }
  // Later notifications of the move may already be queued; this one goes out on its own rather than wait for them.
  await tx('notifications').where({ id }).update({ status: 'pending', job_id: null, updated_at: now })
  const jobId = await outbox.queueOne(tx, id)
  await tx('notifications').where({ id }).update({ job_id: jobId })
  const [reloaded] = await withAttempts(tx, await tx('notifications').where({ id }).select(COLUMNS))
  return reloaded!
}

/** Re-queues the oldest pending notification of each of a subscription's chains, after a pause. */
export async function resumeSubscription(
  { tx, outbox }: Pick<Write, 'tx' | 'outbox'>,
  subscriptionId: string,
): Promise<void> {
  const chains = (await tx('notifications')
    .where({ subscription_id: subscriptionId, status: 'pending' })
    .distinct('move_id', 'channel')) as { move_id: string; channel: string }[]
  for (const chain of chains) {
    await tx('moves').where({ id: chain.move_id }).forUpdate().first('id')
    await outbox.queueHead(tx, { subscriptionId, moveId: chain.move_id, channel: chain.channel })
  }
}

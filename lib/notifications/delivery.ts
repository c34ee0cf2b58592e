import { performance } from 'node:perf_hooks'
import type { Transporter } from 'nodemailer'
import type { Db } from '../../db/client'
import type { Clock } from '../clock'
import type { Config } from '../config'
import type { Logger } from '../log'
import type { JobInfo, QueueDefinition } from '../queue/queue'
import { NOTIFICATIONS_QUEUE, type Outbox } from './outbox'
import { decrypt, sign } from './secrets'

export type DeliveryDeps = {
  db: Db
  clock: Clock
  log: Logger
  config: Pick<
    Config,
    'notifyTimeoutMs' | 'notifyRetryLimit' | 'notifyRetryDelaySeconds' | 'publicBaseUrl' | 'smtpUrl' | 'smtpFrom'
  >
  key: () => Buffer
  outbox: Outbox
}

type Due = {
  id: string
  status: string
  job_id: string | null
  channel: 'webhook' | 'email'
  event_type: string
  event_at: Date
  move_id: string
  assessment_id: string | null
  subscription_id: string
  callback_url: string | null
  secret_encrypted: string | null
  username: string | null
  password_encrypted: string | null
  email_address: string | null
  enabled: boolean
  reference: string
}

/**
 * The reference's body: exactly these bytes are signed. A notification about an assessment also links
 * it, by its kind's name (`person_escort_record` or `youth_risk_assessment`, from the event type).
 */
export function notificationBody(
  n: Pick<Due, 'id' | 'event_type' | 'event_at' | 'move_id'> & { assessment_id?: string | null },
  baseUrl: string,
): string {
  const kind = n.event_type.endsWith('youth_risk_assessment') ? 'youth_risk_assessment' : 'person_escort_record'
  const assessment = n.assessment_id
    ? {
        [kind]: {
          data: { id: n.assessment_id, type: `${kind}s` },
          links: { self: `${baseUrl}/api/${kind}s/${n.assessment_id}` },
        },
      }
    : {}
  return JSON.stringify({
    data: {
      id: n.id,
      type: 'notifications',
      attributes: { event_type: n.event_type, timestamp: new Date(n.event_at).toISOString() },
      relationships: {
        ...assessment,
        move: { data: { id: n.move_id, type: 'moves' }, links: { self: `${baseUrl}/api/moves/${n.move_id}` } },
      },
    },
  })
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs} ms`
    const code = (err.cause as { code?: string } | undefined)?.code
    return code ?? err.message
  }
  return String(err)
}

/**
 * The SMTP transport, made at the first email. nodemailer is loaded then too: a service that sends no
 * email (no email subscription) does not carry its megabyte of code.
 */
function mailer(deps: DeliveryDeps): () => Promise<Transporter> {
  let transport: Promise<Transporter> | undefined
  return () => {
    const smtpUrl = deps.config.smtpUrl
    if (!smtpUrl) return Promise.reject(new Error('SMTP_URL is not configured'))
    transport ??= import('nodemailer').then(nodemailer => nodemailer.default.createTransport(smtpUrl))
    return transport
  }
}

/**
 * The worker side of the outbox: one attempt per queue delivery, logged whatever its outcome. A
 * failure throws so that the queue retries it with backoff; the last failure also settles the
 * notification as dead-lettered, which releases the next one of its move.
 */
export function notificationsQueue(deps: DeliveryDeps): QueueDefinition<{ notificationId: string }> {
  const transport = mailer(deps)

  const settle = async (n: Due, status: 'delivered' | 'dead_lettered') => {
    await deps.db.transaction(async tx => {
      await tx('moves').where({ id: n.move_id }).forUpdate().first('id')
      const now = deps.clock.now()
      await tx('notifications')
        .where({ id: n.id, status: 'pending' })
        .update({ status, delivered_at: status === 'delivered' ? now : null, updated_at: now })
      await deps.outbox.queueHead(tx, { subscriptionId: n.subscription_id, moveId: n.move_id, channel: n.channel })
    })
  }

  const webhook = async (n: Due): Promise<number> => {
    const body = notificationBody(n, deps.config.publicBaseUrl)
    const headers: Record<string, string> = {
      'Content-Type': 'application/vnd.api+json',
      'User-Agent': 'pecs-webhooks/v1',
      'PECS-NOTIFICATION-ID': n.id,
      'PECS-SIGNATURE': sign(decrypt(deps.key(), n.secret_encrypted!), body),
    }
    if (n.username && n.password_encrypted) {
      const credentials = `${n.username}:${decrypt(deps.key(), n.password_encrypted)}`
      headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
    }
    const res = await fetch(n.callback_url!, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.config.notifyTimeoutMs),
    })
    await res.body?.cancel()
    return res.status
  }

  const email = async (n: Due): Promise<number> => {
    const link = `${deps.config.publicBaseUrl}/api/moves/${n.move_id}`
    await (await transport()).sendMail({
      from: deps.config.smtpFrom,
      to: n.email_address!,
      subject: `Move ${n.reference}: ${n.event_type}`,
      text: `Move ${n.reference}: ${n.event_type} at ${new Date(n.event_at).toISOString()}.\n${link}\n`,
      headers: { 'PECS-NOTIFICATION-ID': n.id },
    })
    return 250
  }

  const handle = async ({ notificationId }: { notificationId: string }, job: JobInfo) => {
    const n = (await deps
      .db('notifications as n')
      .join('subscriptions as s', 's.id', 'n.subscription_id')
      .join('moves as m', 'm.id', 'n.move_id')
      .where('n.id', notificationId)
      .first(
        'n.id',
        'n.status',
        'n.job_id',
        'n.channel',
        'n.event_type',
        'n.event_at',
        'n.move_id',
        'n.assessment_id',
        'n.subscription_id',
        's.callback_url',
        's.secret_encrypted',
        's.username',
        's.password_encrypted',
        's.email_address',
        's.enabled',
        'm.reference',
      )) as Due | undefined
    // A settled notification, or a stale copy of its job (an operator re-queued it since): nothing to do.
    if (!n || n.status !== 'pending' || n.job_id !== job.id) return
    if (!n.enabled) {
      // Paused: it waits, pending and unqueued, until the subscription is enabled again.
      await deps.db('notifications').where({ id: n.id, job_id: job.id }).update({ job_id: null })
      return
    }
    const attemptedAt = deps.clock.now()
    const started = performance.now()
    let status: number | null = null
    let error: string | null = null
    try {
      status = n.channel === 'webhook' ? await webhook(n) : await email(n)
      if (status < 200 || status >= 300) error = `HTTP ${status}`
    } catch (err) {
      error = describe(err, deps.config.notifyTimeoutMs)
    }
    const durationMs = Math.round(performance.now() - started)
    await deps.db('notification_attempts').insert({
      notification_id: n.id,
      attempted_at: attemptedAt,
      duration_ms: durationMs,
      response_status: status,
      error,
    })
    deps.log.info({ notificationId: n.id, channel: n.channel, status, durationMs, error }, 'notification attempt')
    if (!error) return settle(n, 'delivered')
    if (job.retryCount >= job.retryLimit) await settle(n, 'dead_lettered')
    throw new Error(`notification ${n.id}: ${error}`)
  }

  return {
    name: NOTIFICATIONS_QUEUE,
    retryLimit: deps.config.notifyRetryLimit,
    retryDelaySeconds: deps.config.notifyRetryDelaySeconds,
    retryBackoff: deps.config.notifyRetryDelaySeconds > 0,
    handle,
  }
}

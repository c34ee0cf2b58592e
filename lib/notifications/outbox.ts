import { randomUUID } from 'node:crypto'
import type { Tx } from '../../db/client'
import { prepared, whereAnyValue } from '../../db/prepared'
import type { Queue } from '../queue/queue'

/**
 * The outbox: notification rows written in the transaction of the move change that caused them,
 * each queued for delivery in that same transaction. A move's notifications to one subscription
 * and channel form a chain delivered in order: only the oldest pending one is queued, and settling
 * it (delivered or dead-lettered) queues the next.
 */

export const NOTIFICATIONS_QUEUE = 'supplier-notifications'

export const MOVE_EVENT_TYPES = ['create_move', 'update_move', 'update_move_status'] as const
export const CROSS_SUPPLIER_EVENT_TYPES = [
  'cross_supplier_move_add',
  'cross_supplier_move_remove',
  'cross_supplier_move_update',
  'cross_supplier_move_update_status',
] as const
export type MoveEventType = (typeof MOVE_EVENT_TYPES)[number]
/** An event posted to a move by the frontend (POST /api/events), told by webhook only, as the reference does. */
export const EVENT_CREATED = 'create_event' as const
/** What an assessment's supplier is told (reference §2.9; issue #15). */
export const ASSESSMENT_EVENT_TYPES = [
  'complete_person_escort_record',
  'amend_person_escort_record',
  'confirm_person_escort_record',
  'handover_person_escort_record',
  'complete_youth_risk_assessment',
  'confirm_youth_risk_assessment',
] as const
export type AssessmentEventType = (typeof ASSESSMENT_EVENT_TYPES)[number]
export type NotificationEventType =
  | MoveEventType
  | (typeof CROSS_SUPPLIER_EVENT_TYPES)[number]
  | typeof EVENT_CREATED
  | AssessmentEventType

const CROSS_SUPPLIER: Record<MoveEventType, NotificationEventType> = {
  create_move: 'cross_supplier_move_add',
  update_move: 'cross_supplier_move_update',
  update_move_status: 'cross_supplier_move_update_status',
}

/** As the reference: emails only about moves in these statuses. */
const EMAIL_STATUSES = ['requested', 'booked', 'in_transit', 'cancelled']

type Recipient = { supplierId: string; eventType: NotificationEventType }

type MoveFacts = { id: string; status: string; supplier_id: string | null; to_location_id: string | null }

/**
 * Locks the move row: the outbox writer and the delivery worker both take this lock, so that
 * a notification written while the one before it settles is always seen by one of the two.
 * `for no key update`, which excludes itself and the worker's `for update` but not the key-share
 * lock a row referring to the move takes: the caller has usually written such a row already (an
 * event), and two writers each holding the key-share and asking for `for update` would deadlock
 * (PostgreSQL aborts one after deadlock_timeout, 503) where these wait their turn.
 */
async function lockMove(tx: Tx, moveId: string): Promise<MoveFacts | undefined> {
  // Prepared, as the two look-ups after it: every change to a move notifies.
  return (await prepared(tx('moves'), 'fixed')
    .where({ id: moveId })
    .forNoKeyUpdate()
    .first('id', 'status', 'supplier_id', 'to_location_id')) as MoveFacts | undefined
}

async function toLocationSuppliers(tx: Tx, locationId: string | null): Promise<string[]> {
  if (!locationId) return []
  return prepared(tx('locations_suppliers'), 'fixed').where({ location_id: locationId }).pluck('supplier_id')
}

async function defaultRecipients(tx: Tx, move: MoveFacts, eventType: MoveEventType): Promise<Recipient[]> {
  const recipients: Recipient[] = move.supplier_id ? [{ supplierId: move.supplier_id, eventType }] : []
  for (const supplierId of await toLocationSuppliers(tx, move.to_location_id)) {
    if (supplierId !== move.supplier_id) recipients.push({ supplierId, eventType: CROSS_SUPPLIER[eventType] })
  }
  return recipients
}

/**
 * The notification outbox, built once by the composition root (lib/services.ts) around the process's
 * queue and handed to use cases and the delivery worker; every method works inside the caller's
 * transaction `tx`, so a notification exists, and is queued, if and only if that transaction commits.
 */
export class Outbox {
  constructor(private readonly queue: Queue) {}

  /**
   * Queues notification `notificationId` on its own, whatever its place in its chain (an operator's
   * retry of a dead letter); answers the queue's message id, which the caller stores as its job_id.
   */
  async queueOne(tx: Tx, notificationId: string): Promise<string> {
    return this.queue.send(tx, NOTIFICATIONS_QUEUE, { notificationId })
  }

  /** Queues the oldest pending notification of the chain, unless it is already queued. */
  async queueHead(tx: Tx, chain: { subscriptionId: string; moveId: string; channel: string }): Promise<void> {
    const head = (await tx('notifications')
      .where({
        subscription_id: chain.subscriptionId,
        move_id: chain.moveId,
        channel: chain.channel,
        status: 'pending',
      })
      .orderBy('sequence')
      .first('id', 'job_id')) as { id: string; job_id: string | null } | undefined
    if (!head || head.job_id) return
    const jobId = await this.queueOne(tx, head.id)
    await tx('notifications').where({ id: head.id }).update({ job_id: jobId })
  }

  /**
   * Records the notifications a change to a move causes, inside the caller's transaction; call it
   * after the change is written. `eventType` is create_move, update_move or update_move_status: the
   * move's supplier gets that event and the suppliers of the move's destination (when another
   * supplier) the cross_supplier_move_* variant. `recipients` overrides this, e.g. for a redirect
   * (see notifyMoveRedirected). Nothing is sent for a proposed move, nor to a paused subscription's
   * webhook while it is paused (those wait, pending). Returns the notification ids.
   */
  async notifyMoveChanged(
    tx: Tx,
    input: { moveId: string; eventType: MoveEventType; at: Date; recipients?: Recipient[]; webhookOnly?: boolean },
  ): Promise<string[]> {
    const move = await lockMove(tx, input.moveId)
    if (!move || move.status === 'proposed') return []
    const recipients = input.recipients ?? (await defaultRecipients(tx, move, input.eventType))
    if (!recipients.length) return []
    const subscriptions = (await whereAnyValue(
      prepared(tx('subscriptions'), 'fixed'),
      'supplier_id',
      recipients.map(r => r.supplierId),
    ).select('id', 'supplier_id', 'callback_url', 'email_address')) as {
      id: string
      supplier_id: string
      callback_url: string | null
      email_address: string | null
    }[]
    const ids: string[] = []
    for (const recipient of recipients) {
      for (const subscription of subscriptions.filter(s => s.supplier_id === recipient.supplierId)) {
        const channels = [
          ...(subscription.callback_url ? ['webhook'] : []),
          ...(subscription.email_address && EMAIL_STATUSES.includes(move.status) && !input.webhookOnly
            ? ['email']
            : []),
        ]
        for (const channel of channels) {
          let eventType = recipient.eventType
          // As the reference: a change is announced as a creation to a subscriber never told of the move.
          if (eventType === 'update_move_status' || eventType === 'update_move') {
            const told = await tx('notifications')
              .where({ subscription_id: subscription.id, move_id: move.id, channel })
              .whereIn('event_type', ['create_move', 'cross_supplier_move_add'])
              .first('id')
            if (!told) eventType = 'create_move'
          }
          ids.push(
            await this.add(tx, { subscriptionId: subscription.id, moveId: move.id, channel, eventType, at: input.at }),
          )
        }
      }
    }
    return ids
  }

  /**
   * An event the frontend posted about a move (POST /api/events): its supplier, and the suppliers of
   * its destination, get `create_event` by webhook (no email), as in the reference. Returns the
   * notification ids.
   */
  async notifyEventCreated(tx: Tx, input: { moveId: string; at: Date }): Promise<string[]> {
    const move = await lockMove(tx, input.moveId)
    if (!move) return []
    const suppliers = new Set([
      ...(move.supplier_id ? [move.supplier_id] : []),
      ...(await toLocationSuppliers(tx, move.to_location_id)),
    ])
    const recipients = [...suppliers].map(supplierId => ({ supplierId, eventType: EVENT_CREATED }))
    return this.notifyMoveChanged(tx, {
      moveId: input.moveId,
      eventType: 'update_move',
      at: input.at,
      recipients,
      webhookOnly: true,
    })
  }

  /**
   * Records the notification of a change to an assessment (issue #15; reference §2.9), inside the
   * caller's transaction: the move's supplier's subscriptions get `eventType` by webhook, and by email
   * too for an amended person escort record, as in the reference. Nothing is sent for a proposed move
   * or one with no supplier. Returns the notification ids.
   */
  async notifyAssessment(
    tx: Tx,
    input: { moveId: string; assessmentId: string; eventType: AssessmentEventType; at: Date },
  ): Promise<string[]> {
    const move = await lockMove(tx, input.moveId)
    if (!move || move.status === 'proposed' || !move.supplier_id) return []
    const subscriptions = (await tx('subscriptions')
      .where({ supplier_id: move.supplier_id })
      .orderBy('id')
      .select('id', 'callback_url', 'email_address')) as {
      id: string
      callback_url: string | null
      email_address: string | null
    }[]
    const emailed = input.eventType === 'amend_person_escort_record' && EMAIL_STATUSES.includes(move.status)
    const ids: string[] = []
    for (const subscription of subscriptions) {
      const channels = [
        ...(subscription.callback_url ? ['webhook'] : []),
        ...(subscription.email_address && emailed ? ['email'] : []),
      ]
      for (const channel of channels) {
        ids.push(
          await this.add(tx, {
            subscriptionId: subscription.id,
            moveId: move.id,
            channel,
            eventType: input.eventType,
            at: input.at,
            assessmentId: input.assessmentId,
          }),
        )
      }
    }
    return ids
  }

  /** One pending notification at the end of its chain, queued if it is the chain's head; answers its id. */
  private async add(
    tx: Tx,
    n: {
      subscriptionId: string
      moveId: string
      channel: string
      eventType: NotificationEventType
      at: Date
      assessmentId?: string
    },
  ): Promise<string> {
    const id = randomUUID()
    await tx('notifications').insert({
      id,
      subscription_id: n.subscriptionId,
      move_id: n.moveId,
      assessment_id: n.assessmentId ?? null,
      channel: n.channel,
      event_type: n.eventType,
      event_at: n.at,
      status: 'pending',
      created_at: n.at,
      updated_at: n.at,
    })
    await this.queueHead(tx, { subscriptionId: n.subscriptionId, moveId: n.moveId, channel: n.channel })
    return id
  }

  /**
   * For a redirect, after the move's destination has changed from `previousToLocationId`: suppliers
   * of the new destination that did not serve the old one get cross_supplier_move_add, those that
   * served only the old one cross_supplier_move_remove, those serving both cross_supplier_move_update,
   * and the move's own supplier update_move.
   */
  async notifyMoveRedirected(
    tx: Tx,
    input: { moveId: string; previousToLocationId: string | null; at: Date },
  ): Promise<string[]> {
    const move = (await tx('moves').where({ id: input.moveId }).first('supplier_id', 'to_location_id')) as
      { supplier_id: string | null; to_location_id: string | null } | undefined
    if (!move) return []
    const before = new Set(await toLocationSuppliers(tx, input.previousToLocationId))
    const after = new Set(await toLocationSuppliers(tx, move.to_location_id))
    const recipients: Recipient[] = move.supplier_id ? [{ supplierId: move.supplier_id, eventType: 'update_move' }] : []
    for (const supplierId of new Set([...before, ...after])) {
      if (supplierId === move.supplier_id) continue
      const eventType =
        before.has(supplierId) && after.has(supplierId)
          ? 'cross_supplier_move_update'
          : after.has(supplierId)
            ? 'cross_supplier_move_add'
            : 'cross_supplier_move_remove'
      recipients.push({ supplierId, eventType })
    }
    return this.notifyMoveChanged(tx, { moveId: input.moveId, eventType: 'update_move', at: input.at, recipients })
  }
}

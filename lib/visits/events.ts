import { randomUUID } from 'node:crypto'
import { Ajv, type JSONSchemaType, type ValidateFunction } from 'ajv'
import type { Db, Tx } from '../../db/client'
import { londonToday, type Clock } from '../clock'
import type { Logger } from '../log'
import type { Queue, QueueDefinition } from '../queue/queue'
import { loadLedger, loadOrCreateLedger, saveLedger } from './ledger'
import { balanceOf, refundVisit, resetBalance, topUpAfterMerge, useForVisit, type OrderType } from './rules'

/** Inbound domain events, in the SNS envelope the reference's queue receives, and our publisher of them. */

export const DOMAIN_EVENTS_QUEUE = 'visits-domain-events'

export type SnsEnvelope = { Type: 'Notification'; Message: string; MessageId: string }
export type DomainEvent = {
  eventType: string
  additionalInformation: Record<string, unknown>
  occurredAt?: string
  version?: number
}

export class UnknownPrisonerError extends Error {}
export class InvalidMessageError extends Error {}

export type EventDeps = {
  db: Db
  clock: Clock
  log: Logger
  config: { visitsMaxVisitOrders: number; eventsRetryLimit: number; eventsRetryDelaySeconds: number }
}

const ajv = new Ajv({ allErrors: true })

const envelopeSchema: JSONSchemaType<SnsEnvelope> = {
  type: 'object',
  required: ['Type', 'Message', 'MessageId'],
  properties: {
    Type: { type: 'string', const: 'Notification' },
    Message: { type: 'string' },
    MessageId: { type: 'string' },
  },
}
const validEnvelope = ajv.compile(envelopeSchema)

const eventSchema = {
  type: 'object',
  required: ['eventType', 'additionalInformation'],
  properties: {
    eventType: { type: 'string', minLength: 1 },
    additionalInformation: { type: 'object' },
    occurredAt: { type: 'string' },
    version: { type: 'integer' },
  },
}
const validEvent = ajv.compile<DomainEvent>(eventSchema)

const nomsNumber = { type: 'string', pattern: '^[A-Z0-9]{1,12}$' }
function info<T>(required: string[], properties: Record<string, object>): ValidateFunction<T> {
  return ajv.compile<T>({ type: 'object', required, properties })
}

type Convicted = { nomsNumber: string; convictedStatus: 'Convicted' | 'Remand' }
type Received = { nomsNumber: string; prisonId: string; reason: string }
type Merged = { nomsNumber: string; removedNomsNumber: string }
type Booked = { reference: string; prisonerId: string; visitRestriction?: 'VO_PVO' | 'VO' | 'PVO' | 'NONE' }
type Cancelled = { reference: string }

const RESET_REASONS = ['NEW_ADMISSION', 'READMISSION', 'READMISSION_SWITCH_BOOKING', 'POST_MERGE_ADMISSION']

type EventHandler = (deps: EventDeps, data: never) => Promise<string>

const handlers: Record<string, { validate: ValidateFunction<unknown>; handle: EventHandler }> = {
  'prisoner-offender-search.prisoner.convicted-status-changed': {
    validate: info<Convicted>(['nomsNumber', 'convictedStatus'], {
      nomsNumber,
      convictedStatus: { type: 'string', enum: ['Convicted', 'Remand'] },
    }),
    handle: convictedStatusChanged as EventHandler,
  },
  'prisoner-offender-search.prisoner.received': {
    validate: info<Received>(['nomsNumber', 'prisonId', 'reason'], {
      nomsNumber,
      prisonId: { type: 'string' },
      reason: { type: 'string' },
    }),
    handle: prisonerReceived as EventHandler,
  },
  'prison-offender-events.prisoner.merged': {
    validate: info<Merged>(['nomsNumber', 'removedNomsNumber'], { nomsNumber, removedNomsNumber: nomsNumber }),
    handle: prisonerMerged as EventHandler,
  },
  'prison-visit.booked': {
    validate: info<Booked>(['reference', 'prisonerId'], {
      reference: { type: 'string', minLength: 1 },
      prisonerId: nomsNumber,
      visitRestriction: { type: 'string', enum: ['VO_PVO', 'VO', 'PVO', 'NONE'] },
    }),
    handle: visitBooked as EventHandler,
  },
  'prison-visit.cancelled': {
    validate: info<Cancelled>(['reference'], { reference: { type: 'string', minLength: 1 } }),
    handle: visitCancelled as EventHandler,
  },
}

export const HANDLED_EVENT_TYPES = Object.keys(handlers)

/** Opens the envelope and checks the event; a malformed message throws and so ends on the dead-letter queue. */
export function parseEnvelope(message: unknown): DomainEvent {
  if (!validEnvelope(message))
    throw new InvalidMessageError(`not an SNS notification: ${ajv.errorsText(validEnvelope.errors)}`)
  let event: unknown
  try {
    event = JSON.parse(message.Message)
  } catch {
    throw new InvalidMessageError('the notification Message is not JSON')
  }
  if (!validEvent(event)) throw new InvalidMessageError(`not a domain event: ${ajv.errorsText(validEvent.errors)}`)
  return event
}

/** Handles one queued message: returns what happened; throws to have the queue retry it. */
export async function handleDomainEventMessage(deps: EventDeps, message: unknown): Promise<string> {
  const event = parseEnvelope(message)
  const handler = handlers[event.eventType]
  if (!handler) {
    deps.log.info({ eventType: event.eventType }, 'domain event type not handled; acknowledged')
    return 'ignored'
  }
  if (!handler.validate(event.additionalInformation)) {
    throw new InvalidMessageError(`${event.eventType}: ${ajv.errorsText(handler.validate.errors)}`)
  }
  const outcome = await handler.handle(deps, event.additionalInformation as never)
  deps.log.info({ eventType: event.eventType, outcome }, 'domain event handled')
  return outcome
}

async function offender(tx: Tx, nomsId: string) {
  const row = await tx('offenders').where({ noms_id: nomsId }).first('noms_id', 'convicted', 'prison_id')
  // Records may arrive after the event: failing lets the queue retry, and the dead-letter queue keep it.
  if (!row) throw new UnknownPrisonerError(`no prisoner record for ${nomsId}`)
  return row as { noms_id: string; convicted: boolean; prison_id: string | null }
}

async function prisonIsOn(tx: Tx, prisonCode: string | null): Promise<boolean> {
  if (!prisonCode) return false
  const row = await tx('visit_allocation_prisons').where({ prison_code: prisonCode, allocation_enabled: true }).first()
  return Boolean(row)
}

/** Becoming convicted starts earning from the next nightly run that finds them due; remand stops it. */
async function convictedStatusChanged(deps: EventDeps, data: Convicted): Promise<string> {
  return deps.db.transaction(async tx => {
    await offender(tx, data.nomsNumber)
    const convicted = data.convictedStatus === 'Convicted'
    await tx('offenders').where({ noms_id: data.nomsNumber }).update({ convicted, updated_at: deps.clock.now() })
    if (convicted) await loadOrCreateLedger(tx, data.nomsNumber, londonToday(deps.clock))
    return convicted ? 'convicted' : 'remand'
  })
}

/** A new admission at a prison we allocate for wipes the balance (as the reference); other receptions keep it. */
async function prisonerReceived(deps: EventDeps, data: Received): Promise<string> {
  if (!RESET_REASONS.includes(data.reason)) return 'kept'
  return deps.db.transaction(async tx => {
    if (!(await prisonIsOn(tx, data.prisonId))) return 'not-allocating-prison'
    const before = await loadLedger(tx, data.nomsNumber)
    if (!before) return 'no-balance'
    const after = resetBalance(before, londonToday(deps.clock))
    const b = balanceOf(after)
    await saveLedger(tx, before, after, {
      type: 'PRISONER_BALANCE_RESET',
      at: deps.clock.now(),
      source: 'SYSTEM',
      userId: 'SYSTEM',
      history: [{ type: 'PRISONER_BALANCE_RESET', voBalance: b.voBalance, pvoBalance: b.pvoBalance, attributes: [] }],
    })
    return 'reset'
  })
}

/** The kept prisoner is topped up to the higher balance, and the removed one's ledger is deleted. */
async function prisonerMerged(deps: EventDeps, data: Merged): Promise<string> {
  return deps.db.transaction(async tx => {
    const removed = await loadLedger(tx, data.removedNomsNumber)
    if (!removed) return 'nothing-to-merge'
    const today = londonToday(deps.clock)
    const before = await loadOrCreateLedger(tx, data.nomsNumber, today)
    const after = topUpAfterMerge(before, balanceOf(removed), today)
    const b = balanceOf(after)
    await saveLedger(tx, before, after, {
      type: 'ALLOCATION_ADDED_AFTER_PRISONER_MERGE',
      at: deps.clock.now(),
      source: 'SYSTEM',
      userId: 'SYSTEM',
      history: [
        {
          type: 'ALLOCATION_ADDED_AFTER_PRISONER_MERGE',
          voBalance: b.voBalance,
          pvoBalance: b.pvoBalance,
          attributes: [
            { type: 'OLD_PRISONER_ID', value: data.removedNomsNumber },
            { type: 'NEW_PRISONER_ID', value: data.nomsNumber },
          ],
        },
      ],
    })
    await tx('visit_prisoners').where({ prisoner_id: data.removedNomsNumber }).delete()
    return 'merged'
  })
}

/** Uses a PVO, else a VO, else records debt; the visit's reference makes a repeated event a no-op. */
async function visitBooked(deps: EventDeps, data: Booked): Promise<string> {
  return deps.db.transaction(async tx => {
    // A session that needs no visiting order (the reference's restriction NONE) uses nothing.
    if (data.visitRestriction === 'NONE') return 'not-charged'
    const prisoner = await offender(tx, data.prisonerId)
    // Remand prisoners' visits are not paid for with orders (#181).
    if (!prisoner.convicted || !(await prisonIsOn(tx, prisoner.prison_id))) return 'not-charged'
    const today = londonToday(deps.clock)
    const before = await loadOrCreateLedger(tx, data.prisonerId, today)
    const claimed = await tx('visit_bookings')
      .insert({ visit_reference: data.reference, prisoner_id: data.prisonerId, booked_at: deps.clock.now() })
      .onConflict('visit_reference')
      .ignore()
      .returning('visit_reference')
    if (claimed.length === 0) return 'duplicate'
    const { ledger, used } = useForVisit(before, today, data.reference)
    await tx('visit_bookings').where({ visit_reference: data.reference }).update({ order_type: used })
    const b = balanceOf(ledger)
    await saveLedger(tx, before, ledger, {
      type: 'ALLOCATION_USED_BY_VISIT',
      at: deps.clock.now(),
      source: 'SYSTEM',
      userId: 'SYSTEM',
      history: [
        {
          type: 'ALLOCATION_USED_BY_VISIT',
          voBalance: b.voBalance,
          pvoBalance: b.pvoBalance,
          attributes: [
            { type: 'VISIT_REFERENCE', value: data.reference },
            { type: 'VISIT_ORDER_TYPE_USED', value: used },
          ],
        },
      ],
    })
    return `used-${used}`
  })
}

/** Refunds what the visit used, once; a cancellation of a visit we never charged for does nothing. */
async function visitCancelled(deps: EventDeps, data: Cancelled): Promise<string> {
  return deps.db.transaction(async tx => {
    const booking = await tx('visit_bookings')
      .where({ visit_reference: data.reference })
      .whereNull('cancelled_at')
      .whereNotNull('order_type')
      .forUpdate()
      .first()
    if (!booking) return 'nothing-to-refund'
    await tx('visit_bookings').where({ visit_reference: data.reference }).update({ cancelled_at: deps.clock.now() })
    const before = await loadLedger(tx, booking.prisoner_id, { visitReference: data.reference })
    if (!before) return 'nothing-to-refund'
    const after = refundVisit(before, {
      today: londonToday(deps.clock),
      visitReference: data.reference,
      type: booking.order_type as OrderType,
      max: deps.config.visitsMaxVisitOrders,
    })
    const b = balanceOf(after)
    await saveLedger(tx, before, after, {
      type: 'ALLOCATION_REFUNDED_BY_VISIT_CANCELLED',
      at: deps.clock.now(),
      source: 'SYSTEM',
      userId: 'SYSTEM',
      history: [
        {
          type: 'ALLOCATION_REFUNDED_BY_VISIT_CANCELLED',
          voBalance: b.voBalance,
          pvoBalance: b.pvoBalance,
          attributes: [{ type: 'VISIT_REFERENCE', value: data.reference }],
        },
      ],
    })
    return 'refunded'
  })
}

/** Wraps an event in the SNS envelope the queue carries. */
export function snsEnvelope(event: DomainEvent, clock: Clock): SnsEnvelope {
  return {
    Type: 'Notification',
    MessageId: randomUUID(),
    Message: JSON.stringify({
      eventType: event.eventType,
      version: event.version ?? 1,
      occurredAt: event.occurredAt ?? clock.now().toISOString(),
      additionalInformation: event.additionalInformation,
    }),
  }
}

export function domainEventsQueue(deps: EventDeps): QueueDefinition<unknown> {
  return {
    name: DOMAIN_EVENTS_QUEUE,
    retryLimit: deps.config.eventsRetryLimit,
    retryDelaySeconds: deps.config.eventsRetryDelaySeconds,
    retryBackoff: deps.config.eventsRetryDelaySeconds > 0,
    handle: async message => {
      await handleDomainEventMessage(deps, message)
    },
  }
}

let publisher: { queue: Queue; clock: Clock } | undefined

/** The queue publishDomainEvent uses: the process's one queue, set when the services are created. */
export function setDomainEventPublisher(queue: Queue, clock: Clock): void {
  publisher = { queue, clock }
}

/**
 * Publishes a domain event onto the visits queue in the caller's transaction (a transactional
 * outbox without the outbox: pg-boss writes its job row through `tx`), so that the event exists if
 * and only if the change that caused it commits. For prisoner-records changes, e.g.
 * `publishDomainEvent(tx, { eventType: 'prisoner-offender-search.prisoner.convicted-status-changed',
 * additionalInformation: { nomsNumber, convictedStatus: 'Convicted' } })`.
 */
export async function publishDomainEvent(
  tx: Tx,
  event: { eventType: string; additionalInformation: Record<string, unknown>; occurredAt?: string },
): Promise<string> {
  if (!publisher) throw new Error('no queue to publish domain events on: create the services first')
  return publisher.queue.send(tx, DOMAIN_EVENTS_QUEUE, snsEnvelope(event, publisher.clock))
}

import { randomUUID } from 'node:crypto'
import { Ajv, type JSONSchemaType, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { Db, Tx } from '../../db/client'
import { londonToday, type Clock } from '../clock'
import type { Logger } from '../log'
import { UndeliverableMessage, type Queue, type QueueDefinition } from '../queue/queue'
import { prisonAllocates, prisonerRecord, visitEligibility } from './eligibility'
import { keptPrisonerId } from './identities'
import { carryLedger, loadLedger, loadOrCreateLedger, saveLedger } from './ledger'
import { balanceOf, refundVisit, resetBalance, useForVisit, type OrderType } from './rules'

/** Inbound domain events, in the SNS envelope the reference's queue receives, and our publisher of them. */

export const DOMAIN_EVENTS_QUEUE = 'visits-domain-events'

export type SnsEnvelope = { Type: 'Notification'; Message: string; MessageId: string }
export type DomainEvent = {
  eventType: string
  additionalInformation: Record<string, unknown>
  occurredAt?: string
  version?: number
}

/** A message that is not a domain event we handle, with a payload of its type's schema: it can never succeed. */
export class InvalidMessageError extends UndeliverableMessage {}

export type EventDeps = {
  db: Db
  clock: Clock
  log: Logger
  config: { visitsMaxVisitOrders: number; eventsRetryLimit: number; eventsRetryDelaySeconds: number }
}

const ajv = new Ajv({ allErrors: true })
addFormats(ajv)

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
    occurredAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
}
const validEvent = ajv.compile<DomainEvent>(eventSchema)

// Our canonical forms: prison numbers and prison codes upper case; visit references as visit-scheduler writes them.
const nomsNumber = { type: 'string', pattern: '^[A-Z0-9]{1,12}$' }
const prisonCode = { type: 'string', pattern: '^[A-Z0-9]{1,10}$' }
const visitReference = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,63}$' }
function info<T>(required: string[], properties: Record<string, object>): ValidateFunction<T> {
  return ajv.compile<T>({ type: 'object', required, properties })
}

type Convicted = { nomsNumber: string; convictedStatus: 'Convicted' | 'Remand' }
type Received = { nomsNumber: string; prisonId: string; reason: (typeof RECEIVED_REASONS)[number] }
type Merged = { nomsNumber: string; removedNomsNumber: string }
type Booked = { reference: string; prisonerId: string; visitRestriction?: 'VO_PVO' | 'VO' | 'PVO' | 'NONE' }
type Cancelled = { reference: string }

/** The reasons the reference's prisoner.received carries; the first four start a new stay and reset the balance. */
const RECEIVED_REASONS = [
  'NEW_ADMISSION',
  'READMISSION',
  'READMISSION_SWITCH_BOOKING',
  'POST_MERGE_ADMISSION',
  'TEMPORARY_ABSENCE_RETURN',
  'RETURN_FROM_COURT',
  'TRANSFERRED',
] as const
const RESET_REASONS: readonly string[] = RECEIVED_REASONS.slice(0, 4)

/** When the event happened (its occurredAt, else now): a reset applies to the ledger as it stood then. */
type EventContext = { occurredAt: Date }
type EventHandler = (deps: EventDeps, data: never, context: EventContext) => Promise<string>

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
      prisonId: prisonCode,
      reason: { type: 'string', enum: RECEIVED_REASONS },
    }),
    handle: prisonerReceived as EventHandler,
  },
  'prison-offender-events.prisoner.merged': {
    validate: info<Merged>(['nomsNumber', 'removedNomsNumber'], { nomsNumber, removedNomsNumber: nomsNumber }),
    handle: prisonerMerged as EventHandler,
  },
  'prison-visit.booked': {
    validate: info<Booked>(['reference', 'prisonerId'], {
      reference: visitReference,
      prisonerId: nomsNumber,
      visitRestriction: { type: 'string', enum: ['VO_PVO', 'VO', 'PVO', 'NONE'] },
    }),
    handle: visitBooked as EventHandler,
  },
  'prison-visit.cancelled': {
    validate: info<Cancelled>(['reference'], { reference: visitReference }),
    handle: visitCancelled as EventHandler,
  },
}

export const HANDLED_EVENT_TYPES = Object.keys(handlers)

/**
 * Opens the envelope and checks the event: a type we handle, with `additionalInformation` of that
 * type's schema. The admin send checks it at the door (400) and the worker again; a message that
 * fails throws InvalidMessageError, whose text names the rule broken and never a value sent.
 */
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
  const handler = handlers[event.eventType]
  if (!handler) throw new InvalidMessageError('the eventType is not one visit allocation handles')
  if (!handler.validate(event.additionalInformation)) {
    throw new InvalidMessageError(
      `${event.eventType}: ${ajv.errorsText(handler.validate.errors, { dataVar: 'additionalInformation' })}`,
    )
  }
  return event
}

/**
 * Handles one queued message and returns what happened. Throws InvalidMessageError (an
 * UndeliverableMessage: dead-lettered at once) for a message that can never succeed, and any other
 * error to have the queue retry it.
 */
export async function handleDomainEventMessage(deps: EventDeps, message: unknown): Promise<string> {
  const event = parseEnvelope(message)
  const context = { occurredAt: event.occurredAt ? new Date(event.occurredAt) : deps.clock.now() }
  const outcome = await handlers[event.eventType]!.handle(deps, event.additionalInformation as never, context)
  deps.log.info({ eventType: event.eventType, outcome }, 'domain event handled')
  return outcome
}

/**
 * The reference does nothing here (NOMIS syncs the balance itself, #83, #113). The prisoner record
 * is the master and changes only through the records use cases, so this never writes it: a record
 * that says convicted gets its ledger now, and the nightly run allocates when they are due.
 */
async function convictedStatusChanged(deps: EventDeps, data: Convicted): Promise<string> {
  return deps.db.transaction(async tx => {
    const prisonerId = await keptPrisonerId(tx, data.nomsNumber)
    const record = await prisonerRecord(tx, prisonerId)
    if (!record.convicted) return 'remand'
    await loadOrCreateLedger(tx, prisonerId, londonToday(deps.clock))
    return 'convicted'
  })
}

/**
 * A new stay at a prison that allocates wipes the balance (as the reference), as it stood at the
 * reception: what was booked, adjusted or allocated after it survives a reset that arrives late.
 */
async function prisonerReceived(deps: EventDeps, data: Received, context: EventContext): Promise<string> {
  if (!RESET_REASONS.includes(data.reason)) return 'kept'
  return deps.db.transaction(async tx => {
    if (!(await prisonAllocates(tx, data.prisonId))) return 'not-allocating-prison'
    const before = await loadLedger(tx, await keptPrisonerId(tx, data.nomsNumber))
    if (!before) return 'no-balance'
    const after = resetBalance(before, londonToday(deps.clock), context.occurredAt.toISOString())
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

/**
 * The removed number's ledger goes to the kept one (lib/visits/ledger.ts carryLedger). A renumbering
 * by the records arrives as a merge too; the records' NOMS_ID_CHANGED tells it apart.
 */
async function prisonerMerged(deps: EventDeps, data: Merged, context: EventContext): Promise<string> {
  return deps.db.transaction(async tx => {
    const kept = await keptPrisonerId(tx, data.nomsNumber)
    if (kept === data.removedNomsNumber) return 'nothing-to-merge'
    const renumbered = await tx('offender_events')
      .where({ event_type: 'NOMS_ID_CHANGED', noms_id: data.removedNomsNumber })
      .first('id')
    const outcome = await carryLedger(tx, data.removedNomsNumber, kept, renumbered ? 'RENUMBERED' : 'MERGED', {
      today: londonToday(deps.clock),
      at: context.occurredAt,
      max: deps.config.visitsMaxVisitOrders,
    })
    return outcome === 'nothing' ? 'nothing-to-merge' : 'merged'
  })
}

/** Uses a PVO, else a VO, else records debt; the visit's reference makes a repeated event a no-op. */
async function visitBooked(deps: EventDeps, data: Booked): Promise<string> {
  return deps.db.transaction(async tx => {
    // A session that needs no visiting order (the reference's restriction NONE) uses nothing.
    if (data.visitRestriction === 'NONE') return 'not-charged'
    const prisonerId = await keptPrisonerId(tx, data.prisonerId)
    const decision = await visitEligibility(tx, prisonerId)
    if (!decision.eligible) return 'not-charged'
    const today = londonToday(deps.clock)
    const before = await loadOrCreateLedger(tx, prisonerId, today)
    const claimed = await tx('visit_bookings')
      .insert({
        visit_reference: data.reference,
        prisoner_id: prisonerId,
        prison_code: decision.prisonId,
        booked_at: deps.clock.now(),
      })
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

/**
 * Refunds what the visit used, once, to the number the prisoner is known by now, if the prison it
 * was charged at still allocates (the refund policy in lib/visits/eligibility.ts). A cancellation
 * of a visit we never charged for does nothing.
 */
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
    const prisonerId = await keptPrisonerId(tx, booking.prisoner_id)
    const chargedAt = booking.prison_code ?? (await prisonerRecord(tx, prisonerId)).prisonId
    if (!(await prisonAllocates(tx, chargedAt))) return 'not-refunded'
    const before = await loadLedger(tx, prisonerId, { visitReference: data.reference })
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

/**
 * Publishes domain events onto the visits queue, built once by the composition root (lib/services.ts)
 * around the process's queue and clock. An event is sent in the caller's transaction (a transactional
 * outbox without the outbox: pg-boss writes its job row through `tx`), so that it exists if and only
 * if the change that caused it commits.
 */
export class DomainEventPublisher {
  constructor(
    private readonly queue: Queue,
    private readonly clock: Clock,
  ) {}

  /**
   * For prisoner-records changes, e.g. `publishDomainEvent(tx, { eventType:
   * 'prisoner-offender-search.prisoner.convicted-status-changed', additionalInformation: { nomsNumber,
   * convictedStatus: 'Convicted' } })`. Answers the queued message's id; throws when the queue has not
   * been started.
   */
  async publishDomainEvent(
    tx: Tx,
    event: { eventType: string; additionalInformation: Record<string, unknown>; occurredAt?: string },
  ): Promise<string> {
    return this.queue.send(tx, DOMAIN_EVENTS_QUEUE, snsEnvelope(event, this.clock))
  }
}

import type { Knex } from 'knex'
import type { Tx } from '../../db/client'
import type { MoveStatus } from '../../machines/move'
import { DomainError, relationship } from '../errors'
import { ASSESSMENT_LABELS, assessmentInScope } from '../assessments/scope'
import { scopeToSupplier } from '../moves/rows'
import type { ApiClient } from './clients'

/**
 * What a write operation of `/api` changes, as openapi.yaml declares it on the operation
 * (`x-write-scope`): an existing resource named by a path parameter, `new` for an operation that
 * only makes something new (any client the operation admits may), or `none` for a search sent as
 * POST that changes nothing. A profile is named together with its person (`within`), so that a
 * profile of another person is not found, as the handler would answer.
 */
export type WriteScope =
  | {
      resource:
        | 'move'
        | 'allocation'
        | 'person'
        | 'subscription'
        | 'notification'
        | 'person_escort_record'
        | 'youth_risk_assessment'
        | 'framework_response'
      parameter: string
    }
  | { resource: 'profile'; parameter: string; within: string }
  | { resource: 'new' }
  | { resource: 'none' }

export const WRITE_SCOPE_RESOURCES = [
  'move',
  'allocation',
  'person',
  'profile',
  'subscription',
  'notification',
  'person_escort_record',
  'youth_risk_assessment',
  'framework_response',
  'new',
  'none',
] as const

/**
 * The moves whose work is still to do or under way, a proposed one (awaiting approval) included. A
 * supplier may not change a person or profile such a move of another supplier carries: that supplier
 * collects, drives and hands over the person as booked. Completed and cancelled moves are history,
 * with nothing left for their supplier to do, so they block nothing. The rule is ours (issue #13): the
 * reference scopes neither people nor profiles.
 */
export const LIVE_MOVE_STATUSES: readonly MoveStatus[] = ['proposed', 'requested', 'booked', 'in_transit']

/** A resource named by a write: its id, and for a profile the person it must belong to. */
export type WriteTarget = { resource: Exclude<WriteScope['resource'], 'new' | 'none'>; id: string; within?: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The client may not change what it can see: 403 `forbidden`. */
function forbidden(what: string): DomainError {
  return new DomainError('forbidden', `This client's supplier may not change ${what}`)
}

function notFound(label: string, id: string): DomainError {
  return new DomainError('not_found', `Couldn't find ${label} with 'id'=${id}`)
}

/** Whether a live move of a supplier other than `supplierId` carries one of the profiles `profiles` selects. */
async function otherSuppliersLiveMove(tx: Tx, supplierId: string, profiles: Knex.QueryBuilder): Promise<boolean> {
  const row = await tx('moves as m')
    .whereIn('m.profile_id', profiles)
    .whereIn('m.status', LIVE_MOVE_STATUSES)
    .whereNotNull('m.supplier_id')
    .whereNot('m.supplier_id', supplierId)
    .first('m.id')
  return row !== undefined
}

/**
 * Write scope, stricter than read scope (issue #13, item 2): a supplier's client changes only what
 * its supplier supplies. Resolves when `client` may change `target`; otherwise throws
 *
 * - `not_found` (404) where the client cannot see the target, as a read of it would answer: a move
 *   outside its read scope (lib/moves/rows scopeToSupplier), or anything that does not exist;
 * - `forbidden` (403) where it can see the target but may not change it:
 *   - a move (and with it its journeys, lodgings and events) it does not supply, though it sees it
 *     because the move starts, ends or lodges at one of its locations;
 *   - an allocation unless it supplies every one of its moves (an allocation with none is nobody's:
 *     the frontend's to change);
 *   - a person or profile a live move (LIVE_MOVE_STATUSES) of another supplier carries (a move no
 *     supplier has taken on blocks nobody);
 *   - a subscription, or a notification of one, of another supplier;
 * - `not_found` for an assessment (a person escort record, a youth risk assessment, or one of their
 *   responses) of a move the client's supplier does not supply: assessments are read only by the
 *   suppliers of their moves (lib/assessments/scope.ts), so another's is not there for it (issue #15).
 *
 * A client with no supplier (the frontend, or an operator on the operations its roles open) is not
 * limited here: the handler answers 404 for what does not exist. An id that is not a UUID is left to
 * the contract's validation (400), as nothing can be found by it.
 */
export async function authoriseWrite(
  tx: Tx,
  client: Pick<ApiClient, 'supplierId'>,
  target: WriteTarget,
): Promise<void> {
  const { supplierId } = client
  if (!supplierId || !UUID.test(target.id) || (target.within !== undefined && !UUID.test(target.within))) return
  switch (target.resource) {
    case 'move': {
      const move = (await scopeToSupplier(tx('moves as m'), supplierId)
        .where('m.id', target.id)
        .first('m.supplier_id')) as { supplier_id: string | null } | undefined
      if (!move) throw notFound('Move', target.id)
      if (move.supplier_id !== supplierId) throw forbidden('a move another supplier supplies')
      return
    }
    case 'allocation': {
      const allocation = await tx('allocations').where({ id: target.id }).first('id')
      if (!allocation) throw notFound('Allocation', target.id)
      const suppliers = (await tx('moves').where({ allocation_id: target.id }).distinct('supplier_id')) as {
        supplier_id: string | null
      }[]
      if (!suppliers.length || suppliers.some(s => s.supplier_id !== supplierId)) {
        throw forbidden('an allocation whose moves it does not all supply')
      }
      return
    }
    case 'person': {
      if (!(await tx('people').where({ id: target.id }).first('id'))) throw notFound('Person', target.id)
      const ofPerson = tx('profiles').where({ person_id: target.id }).select('id')
      if (await otherSuppliersLiveMove(tx, supplierId, ofPerson)) {
        throw forbidden("a person another supplier's live move carries")
      }
      return
    }
    case 'profile': {
      const profile = await tx('profiles').where({ id: target.id, person_id: target.within }).first('id')
      if (!profile) throw notFound('Profile', target.id)
      if (await otherSuppliersLiveMove(tx, supplierId, tx('profiles').where({ id: target.id }).select('id'))) {
        throw forbidden("a profile another supplier's live move carries")
      }
      return
    }
    case 'subscription': {
      const subscription = (await tx('subscriptions').where({ id: target.id }).first('supplier_id')) as
        { supplier_id: string } | undefined
      if (!subscription) throw notFound('Subscription', target.id)
      requireOwnSupplier(client, subscription.supplier_id)
      return
    }
    case 'notification': {
      const notification = (await tx('notifications as n')
        .join('subscriptions as s', 's.id', 'n.subscription_id')
        .where('n.id', target.id)
        .first('s.supplier_id')) as { supplier_id: string } | undefined
      if (!notification) throw notFound('Notification', target.id)
      requireOwnSupplier(client, notification.supplier_id)
      return
    }
    case 'person_escort_record':
    case 'youth_risk_assessment':
    case 'framework_response': {
      const kind = target.resource === 'framework_response' ? null : target.resource
      if (!(await assessmentInScope(tx, supplierId, target.id, kind))) {
        throw notFound(ASSESSMENT_LABELS[target.resource], target.id)
      }
      return
    }
  }
}

/**
 * A supplier's client may give a move (created or PATCHed) only a profile it may change: one that no
 * live move (LIVE_MOVE_STATUSES) of another supplier carries. Taking such a profile on would make the
 * other supplier's own person and profile unchangeable to it (authoriseWrite), so it counts as
 * changing the profile. Resolves for a client with no supplier (the frontend) and for a profile that
 * does not exist (the caller answers 404); otherwise throws `forbidden` (403) at the `profile`
 * relationship. The rule is ours (issue #13, item 2).
 */
export async function authoriseProfileUse(
  tx: Tx,
  client: Pick<ApiClient, 'supplierId'>,
  profileId: string,
): Promise<void> {
  const { supplierId } = client
  if (!supplierId) return
  if (await otherSuppliersLiveMove(tx, supplierId, tx('profiles').where({ id: profileId }).select('id'))) {
    throw new DomainError(
      'forbidden',
      "This client's supplier may not move a profile another supplier's live move carries",
      {
        subject: relationship('profile'),
      },
    )
  }
}

/**
 * A supplier's client manages only its own supplier's subscriptions and notifications: 403
 * `forbidden` for another supplier's. A client with no supplier (an operator) manages all.
 */
export function requireOwnSupplier(client: Pick<ApiClient, 'supplierId'>, supplierId: string): void {
  if (client.supplierId && client.supplierId !== supplierId) {
    throw forbidden("another supplier's subscriptions")
  }
}

/**
 * Who may use `/api` at all (issue #13, item 2): a supplier's client, or one with the `frontend`
 * role. Operations that declare roles of their own (`x-roles`, such as `admin`) are governed by those
 * instead. A client with only other roles (nomis, records-admin, visits-admin, queue-admin, admin) is
 * not a booking client.
 */
export function isBookingClient(client: Pick<ApiClient, 'supplierId' | 'roles'>): boolean {
  return client.supplierId !== null || client.roles.includes('frontend')
}

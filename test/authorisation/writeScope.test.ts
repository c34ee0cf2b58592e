import { expect } from 'chai'
import type { Express } from 'express'
import { loadOpenApi, operations } from '../../api/openapi'
import { addDays } from '../../lib/calendar'
import type { Services } from '../../lib/services'
import { as, testClient, type TestClient } from '../support/app'
import { allocationBody, key, locationRef, populationBody, uniqueDate } from '../support/bodies'
import { aMove, FILES, location, moveEvent } from '../support/builders'
import {
  answerAll,
  anAssessment,
  assessmentBody,
  confirmBody,
  responseBody,
  responsesBody,
  type AssessmentType,
} from '../support/assessments'
import { testWorld, type World } from '../support/world'
import { makeSupplier, unlinkTestSuppliers } from '../notifications/receiver'
import { genericEventBody, moveRef } from '../support/events'

/**
 * Write scope (issue #13, item 2), for every write operation of /api in openapi.yaml: each kind of
 * client tries it on a target of its own making, and a refused attempt changes nothing.
 *
 * The kinds: the supplier that owns the target (Serco: the moves start at Leeds, which it serves), another
 * supplier that cannot see it (GEOAmey, on a move between Serco's prisons), a supplier that only sees it
 * (GEOAmey, on a move that ends at Belmarsh, one of its prisons), the frontend, and a client with only
 * another role (nomis). Operations that need the admin role are tried by admins of two suppliers of the
 * test's own, an operator with only the admin role, the frontend and nomis.
 */

type Kind = 'owner' | 'other' | 'seer' | 'frontend' | 'otherRole' | 'operator'
/** Whose the target is, from the asking supplier's side: its own, another's it cannot see, another's it sees. */
type Relation = 'owned' | 'unseen' | 'seen'
type Attempt = {
  method: 'post' | 'patch'
  path: string
  body?: unknown
  /** A file sent as multipart/form-data (POST /api/documents) instead of a body. */
  file?: Buffer
  /** The Accept header, for an operation that answers other than JSON:API (the CSV export). */
  accept?: string
  rows: () => Promise<unknown>
}
type Outcome = 'ok' | 403 | 404

/** What each kind of client gets, by what the operation changes (its x-write-scope) and whether it needs admin. */
const OUTCOMES: Record<string, Partial<Record<Kind, Outcome>>> = {
  move: { owner: 'ok', other: 404, seer: 403, frontend: 'ok', otherRole: 403 },
  // GPS points come only from the supplier whose vans drive the move (issue #20): the frontend drives nothing.
  moveSupplierOnly: { owner: 'ok', other: 404, seer: 403, frontend: 403, otherRole: 403 },
  allocation: { owner: 'ok', other: 403, seer: 403, frontend: 'ok', otherRole: 403 },
  person: { owner: 'ok', other: 403, seer: 403, frontend: 'ok', otherRole: 403 },
  profile: { owner: 'ok', other: 403, seer: 403, frontend: 'ok', otherRole: 403 },
  new: { owner: 'ok', other: 'ok', seer: 'ok', frontend: 'ok', otherRole: 403 },
  // An assessment is for the escort that moves the person: another supplier does not see it, even on a move it sees.
  assessment: { owner: 'ok', other: 404, seer: 404, frontend: 'ok', otherRole: 403 },
  none: { owner: 'ok', other: 'ok', seer: 'ok', frontend: 'ok', otherRole: 403 },
  // Subscriptions are every admin's to see: another supplier's admin sees them, and may not change them.
  adminOwned: { owner: 'ok', other: 403, frontend: 403, otherRole: 403, operator: 'ok' },
  adminNew: { owner: 'ok', other: 'ok', frontend: 403, otherRole: 403, operator: 'ok' },
  // Populations are the PMU's (issue #21): only the frontend's role opens them.
  frontendOnly: { owner: 403, other: 403, seer: 403, frontend: 'ok', otherRole: 403 },
}

const RELATION: Record<Kind, Relation> = {
  owner: 'owned',
  other: 'unseen',
  seer: 'seen',
  frontend: 'owned',
  otherRole: 'owned',
  operator: 'owned',
}

/** Everything a write of /api could add to: a refused request must leave every count as it was. */
const TABLES = [
  'allocations',
  'moves',
  'move_events',
  'journeys',
  'lodgings',
  'people',
  'profiles',
  'subscriptions',
  'notifications',
  'locations',
  'idempotency_keys',
  'gps_points',
  'court_hearings',
  'extradition_flights',
  'documents',
  'populations',
  'assessments',
  'framework_responses',
]

const TIMESTAMP = '2031-01-01T10:00:00Z'

describe('Write scope: every write of /api, tried by every kind of client', function () {
  this.timeout(120_000)
  let services: Services
  let app: Express
  let clients: Record<'serco' | 'geoamey' | 'frontend' | 'nomis' | 'adminA' | 'adminB' | 'operator', TestClient>
  let testSuppliers: { a: string; b: string }
  let world: World

  before(async function () {
    this.timeout(180_000)
    world = await testWorld()
    ;({ services, app } = world)
    const a = await makeSupplier(services.db)
    const b = await makeSupplier(services.db)
    testSuppliers = { a: a.id, b: b.id }
    clients = {
      serco: world.serco,
      geoamey: world.geoamey,
      frontend: world.frontend,
      nomis: await testClient(services, { roles: ['nomis'] }),
      adminA: await testClient(services, { supplier: a.key, roles: ['admin'] }),
      adminB: await testClient(services, { supplier: b.key, roles: ['admin'] }),
      operator: await testClient(services, { roles: ['admin'] }),
    }
  })

  after(async () => {
    await unlinkTestSuppliers(services.db)
  })

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(TABLES.map(async t => [t, Number((await services.db(t).count('* as n').first())!.n)] as const)),
    )

  // --- targets, each made afresh by the frontend so that a transition tried on it is allowed ---

  /** Serco's move (from Leeds): between Serco's prisons, or to Belmarsh (GEOAmey's) where GEOAmey sees it. */
  const sercoMove = async (relation: Relation, options: { status?: 'proposed' | 'requested' } = {}) =>
    aMove(world, { by: clients.frontend, from: 'lei', to: relation === 'seen' ? 'bmi' : 'mdi', ...options })

  const moveRows = (id: string) => async () => ({
    move: await services.db('moves').where({ id }).first(),
    events: await services.db('move_events').where({ move_id: id }).orderBy('id'),
    journeys: await services.db('journeys').where({ move_id: id }).orderBy('id'),
    lodgings: await services.db('lodgings').where({ move_id: id }).orderBy('id'),
  })

  const frontendEvent = async (moveId: string, ...events: string[]) => {
    for (const event of events) await moveEvent(world, clients.frontend, moveId, event).expect(204)
  }

  /** A move ready for `events` (accept, start...), tried at `/api/moves/{id}/{suffix}`. */
  const onMove =
    (
      suffix: string,
      body: (move: { id: string; date: string }) => unknown,
      options: { status?: 'proposed' | 'requested'; events?: string[]; method?: 'post' | 'patch' } = {},
    ) =>
    async (relation: Relation): Promise<Attempt> => {
      const move = await sercoMove(relation, { status: options.status })
      await frontendEvent(move.id, ...(options.events ?? []))
      return {
        method: options.method ?? 'post',
        path: `/api/moves/${move.id}${suffix}`,
        body: body(move),
        rows: moveRows(move.id),
      }
    }

  const event =
    (type: string, attributes: object = {}, relationships?: object) =>
    () => ({
      data: { type, attributes: { timestamp: TIMESTAMP, ...attributes }, ...(relationships ? { relationships } : {}) },
    })

  const journeyBody = async () => ({
    data: {
      type: 'journeys',
      attributes: { timestamp: TIMESTAMP, billable: true },
      relationships: {
        from_location: locationRef(await location(world, 'lei')),
        to_location: locationRef(await location(world, 'mdi')),
      },
    },
  })

  /** A journey of Serco's move, taken by the frontend through `events` first. */
  const onJourney =
    (suffix: string, body: (journeyId: string) => unknown, events: string[] = [], method: 'post' | 'patch' = 'post') =>
    async (relation: Relation): Promise<Attempt> => {
      const move = await sercoMove(relation)
      const res = await as(app, clients.frontend)
        .post(`/api/moves/${move.id}/journeys`)
        .set('Idempotency-Key', key())
        .send(await journeyBody())
        .expect(201)
      const journeyId = res.body.data.id as string
      for (const e of events) {
        await as(app, clients.frontend)
          .post(`/api/moves/${move.id}/journeys/${journeyId}/${e}`)
          .set('Idempotency-Key', key())
          .send(event(`${e}s`)())
          .expect(204)
      }
      return {
        method,
        path: `/api/moves/${move.id}/journeys/${journeyId}${suffix}`,
        body: body(journeyId),
        rows: moveRows(move.id),
      }
    }

  /** A lodging at Leeds Crown Court (Serco's) on Serco's move, under way when the move must be. */
  const onLodging =
    (
      suffix: string,
      body: (lodgingId: string, date: string) => unknown,
      options: { events?: string[]; startIt?: boolean; method?: 'post' | 'patch' } = {},
    ) =>
    async (relation: Relation): Promise<Attempt> => {
      const move = await sercoMove(relation)
      const res = await as(app, clients.frontend)
        .post(`/api/moves/${move.id}/lodgings`)
        .set('Idempotency-Key', key())
        .send(lodgingBody(move.date, await location(world, 'leedcc')))
        .expect(201)
      const lodgingId = res.body.data.id as string
      await frontendEvent(move.id, ...(options.events ?? []))
      if (options.startIt) {
        await as(app, clients.frontend)
          .post(`/api/moves/${move.id}/lodgings/${lodgingId}/start`)
          .set('Idempotency-Key', key())
          .send(event('starts')())
          .expect(204)
      }
      return {
        method: options.method ?? 'post',
        path: `/api/moves/${move.id}/lodgings/${lodgingId}${suffix}`,
        body: body(lodgingId, move.date),
        rows: moveRows(move.id),
      }
    }

  const lodgingBody = (date: string, locationId: string) => ({
    data: {
      type: 'lodgings',
      attributes: { start_date: date, end_date: addDays(date, 1) },
      relationships: { location: locationRef(locationId) },
    },
  })

  /**
   * Serco's extradition move (Leeds to the Old Bailey, both Serco's); where GEOAmey is to see it, a stay at
   * Birmingham Crown Court (GEOAmey's) on the way.
   */
  const extraditionMove = async (relation: Relation) => {
    const move = await aMove(world, { by: clients.frontend, from: 'lei', to: 'oldbcc', moveType: 'extradition' })
    if (relation === 'seen') {
      await as(app, clients.frontend)
        .post(`/api/moves/${move.id}/lodgings`)
        .set('Idempotency-Key', key())
        .send(lodgingBody(move.date, await location(world, 'brmcc')))
        .expect(201)
    }
    return move
  }

  const flightBody = {
    data: { type: 'extradition_flight', attributes: { flight_number: 'BA0123', flight_time: TIMESTAMP } },
  }

  /** Serco's allocation (its moves from Leeds), made by Serco as the walkthrough's supplier may. */
  const onAllocation =
    (suffix: string, body: (id: string) => unknown, method: 'post' | 'patch') =>
    async (relation: Relation): Promise<Attempt> => {
      const res = await as(app, clients.serco)
        .post('/api/allocations')
        .set('Idempotency-Key', key())
        .send(
          allocationBody(
            {},
            {
              from: await location(world, 'lei'),
              to: await location(world, relation === 'seen' ? 'bmi' : 'mdi'),
            },
          ),
        )
        .expect(201)
      const id = res.body.data.id as string
      return {
        method,
        path: `/api/allocations/${id}${suffix}`,
        body: body(id),
        rows: async () => ({
          allocation: await services.db('allocations').where({ id }).first(),
          moves: await services.db('moves').where({ allocation_id: id }).orderBy('id'),
        }),
      }
    }

  /** The person and profile a live move of Serco's carries. */
  const carried = async (relation: Relation) => {
    const move = await sercoMove(relation)
    const profile = await services.db('profiles').where({ id: move.profileId }).first('person_id')
    return { personId: profile.person_id as string, profileId: move.profileId }
  }

  const personRows = (personId: string) => async () => ({
    person: await services.db('people').where({ id: personId }).first(),
    profiles: await services.db('profiles').where({ person_id: personId }).orderBy('id'),
  })

  const subscriptionOf = async (supplierId: string) => {
    const id = crypto.randomUUID()
    await services.db('subscriptions').insert({
      id,
      supplier_id: supplierId,
      email_address: 'pecs@supplier.example.test',
      enabled: true,
      created_at: new Date(),
      updated_at: new Date(),
    })
    return id
  }

  /** How to try each write operation: what it changes decides who may (OUTCOMES), `success` what success answers. */
  /** An assessment of Serco's move (a youth risk assessment's leaves Aldine House, Serco's children's home). */
  const sercoAssessment = async (relation: Relation, type: AssessmentType, options: { complete?: boolean } = {}) => {
    const from = type === 'youth_risk_assessments' ? 'aldine' : 'lei'
    const made = await anAssessment(world, {
      type,
      by: clients.frontend,
      move: { from, to: relation === 'seen' ? 'bmi' : 'mdi' },
    })
    if (options.complete) await answerAll(world, made.id, { type, by: clients.frontend })
    const current = async () => ({
      assessment: await services.db('assessments').where({ id: made.id }).first(),
      responses: await services.db('framework_responses').where({ assessment_id: made.id }).orderBy('id'),
    })
    return { ...made, rows: current }
  }

  /** The response of the assessment to question `key`, and a valid answer to it. */
  const answerTo = async (assessmentId: string, type: AssessmentType) => {
    const key = type === 'youth_risk_assessments' ? 'absconding' : 'cash'
    const row = await services
      .db('framework_responses as r')
      .join('framework_questions as q', 'q.id', 'r.framework_question_id')
      .where({ 'r.assessment_id': assessmentId, 'q.key': key })
      .first('r.id')
    return { id: row.id as string, value: type === 'youth_risk_assessments' ? { option: 'No' } : 'No' }
  }

  const assessmentRows = (type: AssessmentType) => ({
    create: {
      scope: 'assessment' as const,
      success: 201,
      attempt: async (relation: Relation): Promise<Attempt> => {
        const move = await aMove(world, {
          by: clients.frontend,
          from: type === 'youth_risk_assessments' ? 'aldine' : 'lei',
          to: relation === 'seen' ? 'bmi' : 'mdi',
        })
        return {
          method: 'post',
          path: `/api/${type}`,
          body: assessmentBody(type, move.id),
          rows: async () => services.db('assessments').where({ move_id: move.id }),
        }
      },
    },
    update: {
      scope: 'assessment' as const,
      success: 200,
      attempt: async (relation: Relation): Promise<Attempt> => {
        const made = await sercoAssessment(relation, type, { complete: true })
        return { method: 'patch', path: `/api/${type}/${made.id}`, body: confirmBody(type), rows: made.rows }
      },
    },
    responses: {
      scope: 'assessment' as const,
      success: 204,
      attempt: async (relation: Relation): Promise<Attempt> => {
        const made = await sercoAssessment(relation, type)
        return {
          method: 'patch',
          path: `/api/${type}/${made.id}/framework_responses`,
          body: responsesBody([await answerTo(made.id, type)]),
          rows: made.rows,
        }
      },
    },
  })
  const per = assessmentRows('person_escort_records')
  const yra = assessmentRows('youth_risk_assessments')

  const rows: Record<
    string,
    { scope: keyof typeof OUTCOMES; success: number; attempt: (relation: Relation) => Promise<Attempt> }
  > = {
    createAllocation: {
      scope: 'new',
      success: 201,
      attempt: async () => ({
        method: 'post',
        path: '/api/allocations',
        body: allocationBody(),
        rows: async () => null,
      }),
    },
    filterAllocations: {
      scope: 'none',
      success: 200,
      attempt: async () => ({
        method: 'post',
        path: '/api/allocations/filtered',
        body: { data: { type: 'allocations', attributes: { filter: { date_from: uniqueDate() } } } },
        rows: async () => null,
      }),
    },
    updateAllocation: {
      scope: 'allocation',
      success: 200,
      attempt: onAllocation(
        '',
        id => ({ data: { type: 'allocations', id, attributes: { date: uniqueDate() } } }),
        'patch',
      ),
    },
    cancelAllocation: {
      scope: 'allocation',
      success: 204,
      attempt: onAllocation('/cancel', () => event('cancels', { cancellation_reason: 'cancelled_by_pmu' })(), 'post'),
    },
    createPerson: {
      scope: 'new',
      success: 201,
      attempt: async () => ({
        method: 'post',
        path: '/api/people',
        body: { data: { type: 'people', attributes: { first_names: 'NEW', last_name: 'PERSON' } } },
        rows: async () => null,
      }),
    },
    updatePerson: {
      scope: 'person',
      success: 200,
      attempt: async relation => {
        const { personId } = await carried(relation)
        return {
          method: 'patch',
          path: `/api/people/${personId}`,
          body: { data: { type: 'people', id: personId, attributes: { first_names: 'CHANGED', last_name: 'NAME' } } },
          rows: personRows(personId),
        }
      },
    },
    createProfile: {
      scope: 'new',
      success: 201,
      attempt: async relation => {
        const { personId } = await carried(relation)
        return {
          method: 'post',
          path: `/api/people/${personId}/profiles`,
          body: { data: { type: 'profiles' } },
          rows: personRows(personId),
        }
      },
    },
    updateProfile: {
      scope: 'profile',
      success: 200,
      attempt: async relation => {
        const { personId, profileId } = await carried(relation)
        return {
          method: 'patch',
          path: `/api/people/${personId}/profiles/${profileId}`,
          body: { data: { type: 'profiles', id: profileId } },
          rows: personRows(personId),
        }
      },
    },
    createMove: {
      scope: 'new',
      success: 201,
      attempt: async () => ({
        method: 'post',
        path: '/api/moves',
        body: {
          data: {
            type: 'moves',
            attributes: { move_type: 'prison_transfer', date: uniqueDate() },
            relationships: {
              from_location: locationRef(await location(world, 'lei')),
              to_location: locationRef(await location(world, 'mdi')),
            },
          },
        },
        rows: async () => null,
      }),
    },
    filterMoves: {
      scope: 'none',
      success: 200,
      attempt: async () => ({
        method: 'post',
        path: '/api/moves/filtered',
        body: { data: { type: 'moves', attributes: { filter: { date_from: uniqueDate() } } } },
        rows: async () => null,
      }),
    },
    updateMove: {
      scope: 'move',
      success: 200,
      attempt: onMove(
        '',
        m => ({ data: { type: 'moves', id: m.id, attributes: { additional_information: 'changed' } } }),
        {
          method: 'patch',
        },
      ),
    },
    cancelMove: {
      scope: 'move',
      success: 204,
      attempt: onMove('/cancel', event('cancels', { cancellation_reason: 'cancelled_by_pmu' })),
    },
    acceptMove: { scope: 'move', success: 204, attempt: onMove('/accept', event('accepts')) },
    startMove: { scope: 'move', success: 204, attempt: onMove('/start', event('starts'), { events: ['accept'] }) },
    completeMove: {
      scope: 'move',
      success: 204,
      attempt: onMove('/complete', event('completes'), { events: ['accept', 'start'] }),
    },
    approveMove: {
      scope: 'move',
      success: 204,
      attempt: onMove('/approve', m => event('approves', { date: m.date })(), { status: 'proposed' }),
    },
    rejectMove: {
      scope: 'move',
      success: 204,
      attempt: onMove('/reject', event('rejects', { rejection_reason: 'no_transport_available' })),
    },
    lockoutMove: {
      scope: 'move',
      success: 204,
      attempt: onMove('/lockouts', event('lockouts', { reason: 'no_space' }), { events: ['accept'] }),
    },
    redirectMove: {
      scope: 'move',
      success: 204,
      attempt: async relation =>
        onMove(
          '/redirects',
          event('redirects', { reason: 'no_space' }, { to_location: locationRef(await location(world, 'wwi')) }),
        )(relation),
    },
    // The move is named in the body: the write scope is the move's all the same (issue #14).
    createEvent: {
      scope: 'move',
      success: 201,
      attempt: async relation => {
        const move = await sercoMove(relation)
        const body = genericEventBody('MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id))
        return { method: 'post', path: '/api/events', body, rows: moveRows(move.id) }
      },
    },
    createJourney: {
      scope: 'move',
      success: 201,
      attempt: async relation => {
        const body = await journeyBody()
        return onMove('/journeys', () => body)(relation)
      },
    },
    updateJourney: {
      scope: 'move',
      success: 200,
      attempt: onJourney('', id => ({ data: { type: 'journeys', id, attributes: { billable: false } } }), [], 'patch'),
    },
    startJourney: { scope: 'move', success: 204, attempt: onJourney('/start', event('starts')) },
    rejectJourney: { scope: 'move', success: 204, attempt: onJourney('/reject', event('rejects')) },
    completeJourney: { scope: 'move', success: 204, attempt: onJourney('/complete', event('completes'), ['start']) },
    uncompleteJourney: {
      scope: 'move',
      success: 204,
      attempt: onJourney('/uncomplete', event('uncompletes'), ['start', 'complete']),
    },
    cancelJourney: { scope: 'move', success: 204, attempt: onJourney('/cancel', event('cancels'), ['start']) },
    uncancelJourney: {
      scope: 'move',
      success: 204,
      attempt: onJourney('/uncancel', event('uncancels'), ['start', 'cancel']),
    },
    lockoutJourney: { scope: 'move', success: 204, attempt: onJourney('/lockouts', event('lockouts'), ['start']) },
    lodgingJourney: { scope: 'move', success: 204, attempt: onJourney('/lodgings', event('lodgings'), ['start']) },
    recordGpsPoints: {
      scope: 'moveSupplierOnly',
      success: 200,
      attempt: onJourney('/gps_points', () => ({
        data: [{ type: 'gps_points', attributes: { latitude: 51.5, longitude: -0.1, timestamp: TIMESTAMP } }],
      })),
    },
    createCourtHearing: {
      scope: 'new',
      success: 201,
      attempt: async () => ({
        method: 'post',
        path: '/api/court_hearings',
        body: { data: { type: 'court_hearings', attributes: { start_time: TIMESTAMP } } },
        rows: async () => null,
      }),
    },
    createExtraditionFlight: {
      scope: 'move',
      success: 201,
      attempt: async relation => {
        const move = await extraditionMove(relation)
        return {
          method: 'post',
          path: `/api/moves/${move.id}/extradition_flight`,
          body: flightBody,
          rows: async () => services.db('extradition_flights').where({ move_id: move.id }).first(),
        }
      },
    },
    updateExtraditionFlight: {
      scope: 'move',
      success: 200,
      attempt: async relation => {
        const move = await extraditionMove(relation)
        await as(app, clients.frontend)
          .post(`/api/moves/${move.id}/extradition_flight`)
          .set('Idempotency-Key', key())
          .send(flightBody)
          .expect(201)
        return {
          method: 'patch',
          path: `/api/moves/${move.id}/extradition_flight`,
          body: { data: { type: 'extradition_flight', attributes: { flight_number: 'EZY99' } } },
          rows: async () => services.db('extradition_flights').where({ move_id: move.id }).first(),
        }
      },
    },
    createPersonEscortRecord: per.create,
    updatePersonEscortRecord: per.update,
    updatePersonEscortRecordResponses: per.responses,
    createYouthRiskAssessment: yra.create,
    updateYouthRiskAssessment: yra.update,
    updateYouthRiskAssessmentResponses: yra.responses,
    updateFrameworkResponse: {
      scope: 'assessment',
      success: 200,
      attempt: async relation => {
        const made = await sercoAssessment(relation, 'person_escort_records')
        const answer = await answerTo(made.id, 'person_escort_records')
        return {
          method: 'patch',
          path: `/api/framework_responses/${answer.id}`,
          body: responseBody(answer.value),
          rows: made.rows,
        }
      },
    },
    createLodging: {
      scope: 'move',
      success: 201,
      attempt: async relation => {
        const leedcc = await location(world, 'leedcc')
        return onMove('/lodgings', m => lodgingBody(m.date, leedcc))(relation)
      },
    },
    cancelAllLodgings: {
      scope: 'move',
      success: 204,
      attempt: async relation => {
        const attempt = await onLodging('', () => null)(relation)
        return {
          ...attempt,
          path: attempt.path.replace(/\/lodgings\/[^/]+$/, '/lodgings/cancel'),
          body: event('cancels', { cancellation_reason: 'cancelled_by_pmu' })(),
        }
      },
    },
    updateLodging: {
      scope: 'move',
      success: 200,
      attempt: onLodging(
        '',
        (id, date) => ({ data: { type: 'lodgings', id, attributes: { end_date: addDays(date, 2) } } }),
        {
          method: 'patch',
        },
      ),
    },
    startLodging: {
      scope: 'move',
      success: 204,
      attempt: onLodging('/start', () => event('starts')(), { events: ['accept', 'start'] }),
    },
    completeLodging: {
      scope: 'move',
      success: 204,
      attempt: onLodging('/complete', () => event('completes')(), { events: ['accept', 'start'], startIt: true }),
    },
    cancelLodging: {
      scope: 'move',
      success: 204,
      attempt: onLodging('/cancel', () => event('cancels', { cancellation_reason: 'cancelled_by_pmu' })()),
    },
    createLocation: {
      scope: 'adminNew',
      success: 201,
      attempt: async () => ({
        method: 'post',
        path: '/api/reference/locations',
        body: {
          data: {
            type: 'locations',
            attributes: {
              key: `scope_${crypto.randomUUID().slice(0, 8)}`,
              title: 'Scope Court',
              location_type: 'court',
            },
          },
        },
        rows: async () => null,
      }),
    },
    createSubscription: {
      scope: 'adminOwned',
      success: 201,
      attempt: async () => ({
        method: 'post',
        path: '/api/subscriptions',
        body: {
          data: {
            type: 'subscriptions',
            attributes: { email_address: 'pecs@supplier.example.test' },
            relationships: { supplier: { data: { type: 'suppliers', id: testSuppliers.a } } },
          },
        },
        rows: async () => services.db('subscriptions').where({ supplier_id: testSuppliers.a }).orderBy('id'),
      }),
    },
    updateSubscription: {
      scope: 'adminOwned',
      success: 200,
      attempt: async () => {
        const id = await subscriptionOf(testSuppliers.a)
        return {
          method: 'patch',
          path: `/api/subscriptions/${id}`,
          body: { data: { type: 'subscriptions', id, attributes: { enabled: false } } },
          rows: async () => services.db('subscriptions').where({ id }).first(),
        }
      },
    },
    retryNotification: {
      scope: 'adminOwned',
      success: 200,
      attempt: async () => {
        const subscriptionId = await subscriptionOf(testSuppliers.a)
        const move = await sercoMove('owned')
        const id = crypto.randomUUID()
        await services.db('notifications').insert({
          id,
          subscription_id: subscriptionId,
          move_id: move.id,
          channel: 'email',
          event_type: 'update_move',
          event_at: new Date(),
          status: 'dead_lettered',
          created_at: new Date(),
          updated_at: new Date(),
        })
        return {
          method: 'post',
          path: `/api/notifications/${id}/retry`,
          rows: async () => services.db('notifications').where({ id }).first(),
        }
      },
    },
    createDocument: {
      scope: 'new',
      success: 201,
      attempt: async () => ({ method: 'post', path: '/api/documents', file: FILES.pdf, rows: async () => null }),
    },
    exportMovesCsv: {
      scope: 'none',
      success: 200,
      attempt: async () => {
        const date = uniqueDate()
        return {
          method: 'post',
          path: '/api/moves/csv',
          accept: 'text/csv',
          body: { data: { type: 'moves', attributes: { filter: { date_from: date, date_to: date } } } },
          rows: async () => null,
        }
      },
    },
    createPopulation: {
      scope: 'frontendOnly',
      success: 201,
      attempt: async () => ({
        method: 'post',
        path: '/api/populations',
        body: populationBody(await location(world, 'iwi'), uniqueDate()),
        rows: async () => null,
      }),
    },
    updatePopulation: {
      scope: 'frontendOnly',
      success: 200,
      attempt: async () => {
        const id = crypto.randomUUID()
        await services.db('populations').insert({
          id,
          location_id: await location(world, 'iwi'),
          date: uniqueDate(),
          operational_capacity: 500,
          usable_capacity: 480,
          created_at: new Date(),
          updated_at: new Date(),
        })
        return {
          method: 'patch',
          path: `/api/populations/${id}`,
          body: { data: { type: 'populations', id, attributes: { unlock: 400 } } },
          rows: async () => services.db('populations').where({ id }).first(),
        }
      },
    },
  }

  const writes = operations(loadOpenApi()).filter(
    o => o.path.startsWith('/api/') && ['post', 'put', 'patch', 'delete'].includes(o.method),
  )

  it('when a write operation is declared in openapi.yaml, then this table has a row for it', () => {
    const missing = writes.map(o => o.operation.operationId!).filter(id => !rows[id])
    expect(missing).to.deep.equal([])
  })

  for (const { operation } of writes) {
    const id = operation.operationId!
    const row = rows[id]
    if (!row) continue
    const admin = row.scope.startsWith('admin')
    for (const [kind, outcome] of Object.entries(OUTCOMES[row.scope]!) as [Kind, Outcome][]) {
      const status = outcome === 'ok' ? row.success : outcome
      it(`when ${kindName(kind, admin)} calls ${id}, then ${status}${outcome === 'ok' ? '' : ' and nothing changes'}`, async () => {
        const client = clientFor(kind, admin)
        const attempt = await row.attempt(RELATION[kind])
        const before = { rows: await attempt.rows(), counts: await counts() }
        const request = as(app, client)[attempt.method](attempt.path).set('Idempotency-Key', key())
        if (attempt.accept) request.set('Accept', attempt.accept)
        const res = await (attempt.file
          ? request.attach('data[attributes][file]', attempt.file, { filename: 'scope.pdf' })
          : request.send(attempt.body as object))
        expect(res.status, JSON.stringify(res.body)).to.equal(status)
        if (outcome !== 'ok') {
          expect(res.body.errors[0].code).to.equal(outcome === 403 ? 'forbidden' : 'not_found')
          expect({ rows: await attempt.rows(), counts: await counts() }).to.deep.equal(before)
        }
      })
    }
  }

  function clientFor(kind: Kind, admin: boolean): TestClient {
    switch (kind) {
      case 'owner':
        return admin ? clients.adminA : clients.serco
      case 'other':
      case 'seer':
        return admin ? clients.adminB : clients.geoamey
      case 'frontend':
        return clients.frontend
      case 'otherRole':
        return clients.nomis
      case 'operator':
        return clients.operator
    }
  }

  function kindName(kind: Kind, admin: boolean): string {
    const names: Record<Kind, string> = admin
      ? {
          owner: 'an admin of the supplier it belongs to',
          other: 'an admin of another supplier',
          seer: 'an admin of another supplier',
          frontend: 'the frontend (no admin role)',
          otherRole: 'a client with only the nomis role',
          operator: 'an operator with only the admin role',
        }
      : {
          owner: 'the supplier that owns it',
          other: 'a supplier that cannot see it',
          seer: 'a supplier that only sees it',
          frontend: 'the frontend',
          otherRole: 'a client with only the nomis role',
          operator: 'an operator',
        }
    return names[kind]
  }
})

import { expect } from 'chai'
import type { Express } from 'express'
import { EVENT_TYPES, POSTABLE_EVENT_TYPES } from '../../lib/events/catalogue'
import type { Services } from '../../lib/services'
import { itRefuses, attr, withMember } from '../contract/bodies'
import { as, type TestClient } from '../support/app'
import { aJourney, aMove, key, location } from '../support/builders'
import { refusedEventBodies, validEventBody, type EventRefs } from '../support/eventBodies'
import { testWorld, type World } from '../support/world'

/**
 * The `POST /api/events` body against openapi.yaml (EventCreate, generated from the catalogue): for
 * every type the reference lets clients post, each required details member and relationship, each
 * member's kind and values, the personnel pairs and the eventable type. A refusal names its member
 * and records nothing. What a valid body then does is the events core's to test; here a valid body
 * must only get past the contract.
 */
describe('Contract: event request bodies, for every event type', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let refs: EventRefs

  before(async function () {
    this.timeout(60_000)
    world = await testWorld()
    ;({ services, app, frontend } = world)
    const move = await aMove(world)
    const journey = await aJourney(world, move.id)
    refs = { move: move.id, journey: journey.id, person: undefined, location: await location(world, 'iwi') }
  })

  const send = (body: unknown) =>
    as(app, frontend)
      .post('/api/events')
      .set('Idempotency-Key', key())
      .send(body as object)
  const state = async () => Number((await services.db('move_events').count('* as n').first())!.n)

  for (const spec of POSTABLE_EVENT_TYPES) {
    describe(spec.eventType, () => {
      it('when the body is valid, then the contract lets it through (no 400 or 422)', async () => {
        const res = await send(validEventBody(spec.eventType, refs))
        expect(res.status, JSON.stringify(res.body.errors)).to.not.be.oneOf([400, 422])
        const minimal = await send(validEventBody(spec.eventType, refs, { minimal: true }))
        expect(minimal.status, JSON.stringify(minimal.body.errors)).to.not.be.oneOf([400, 422])
      })

      itRefuses(refusedEventBodies(spec.eventType), {
        body: () => validEventBody(spec.eventType, refs),
        send,
        state,
      })
    })
  }

  const lodgingTypes = EVENT_TYPES.filter(spec => spec.serverWrittenOnly).map(spec => spec.eventType)
  itRefuses(
    [
      { when: 'event_type is not a type of the reference', path: attr('event_type'), value: 'MoveTeleported' },
      { when: 'event_type is missing', path: attr('event_type'), value: undefined },
      ...lodgingTypes.map(eventType => ({
        when: `event_type is ${eventType}, which the lodging routes alone write`,
        path: attr('event_type'),
        value: eventType,
      })),
    ],
    { body: () => validEventBody('MoveAccept', refs), send, state },
  )

  it('when the Idempotency-Key is missing, then it is 400 and nothing is recorded', async () => {
    const before = await state()
    const res = await as(app, frontend).post('/api/events').send(validEventBody('MoveAccept', refs)).expect(400)
    expect(res.body.errors[0]).to.include({ code: 'missing_idempotency_key' })
    expect(await state()).to.equal(before)
  })

  it('when details carry members the type does not keep, then the contract does not refuse them', async () => {
    const body = withMember(validEventBody('JourneyStart', refs), attr('details', 'colour_of_van'), 'white')
    const res = await send(body)
    expect(res.status, JSON.stringify(res.body.errors)).to.not.be.oneOf([400, 422])
  })

  it('when the postcode is given in lower case without its space, then it is a UK postcode', async () => {
    const body = withMember(validEventBody('PersonMoveVehicleBrokeDown', refs), attr('details', 'postcode'), 'sw1a1aa')
    const res = await send(body)
    expect(res.status, JSON.stringify(res.body.errors)).to.not.be.oneOf([400, 422])
  })
})

import { expect } from 'chai'
import type { Express } from 'express'
import fc from 'fast-check'
import type { Services } from '../../lib/services'
import { nextMoveStatus, type MoveEventName, type MoveStatus } from '../../machines/move'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, aPerson, aProfile, assignProfile, anAllocation } from '../support/builders'

/** The model is the move machine's status; the real system is one move behind the API. */
type Model = { status: MoveStatus; events: number }
type Sent = { path: string; key: string; body: object; status: number; text: string }
type Real = { moveId: string; last?: Sent }

const ROUTES: { event: MoveEventName; type: string }[] = [
  { event: 'accept', type: 'accepts' },
  { event: 'start', type: 'starts' },
  { event: 'complete', type: 'completes' },
  { event: 'cancel', type: 'cancels' },
]

describe('Book a Secure Move: the API follows the move machine (model-based)', function () {
  this.timeout(120_000)
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
  })

  /** After every command the move, its timeline and the model agree. */
  async function agree(model: Model, real: Real): Promise<void> {
    const res = await as(app, frontend).get(`/api/moves/${real.moveId}`).expect(200)
    expect(res.body.data.attributes.status).to.equal(model.status)
    const events = await services
      .db('move_events')
      .where({ move_id: real.moveId })
      .orderBy('id')
      .select('from_status', 'to_status')
    expect(events).to.have.length(model.events)
    expect(events.at(-1)!.to_status).to.equal(model.status)
  }

  class Transition implements fc.AsyncCommand<Model, Real> {
    constructor(
      readonly route: (typeof ROUTES)[number],
      readonly timestamp: string,
    ) {}
    check = () => true
    async run(model: Model, real: Real): Promise<void> {
      const path = `/api/moves/${real.moveId}/${this.route.event}`
      const body = {
        data: {
          type: this.route.type,
          attributes: { timestamp: this.timestamp, notes: 'model', cancellation_reason: 'made_in_error' },
        },
      }
      const idempotencyKey = key()
      const res = await as(app, frontend).post(path).set('Idempotency-Key', idempotencyKey).send(body)
      const expected = nextMoveStatus(model.status, this.route.event)
      if (expected) {
        expect(res.status, res.text).to.equal(204)
        model.status = expected
        model.events++
      } else {
        expect(res.status, res.text).to.equal(409)
        expect(res.body.errors[0]).to.include({ code: 'invalid_transition' })
        expect(res.body.errors[0].meta).to.deep.equal({ status: model.status, event: this.route.event })
      }
      real.last = { path, key: idempotencyKey, body, status: res.status, text: res.text }
      await agree(model, real)
    }
    toString = () => `${this.route.event}@${this.timestamp}`
  }

  /** Sends the last request again with its key: the stored answer only when it succeeded, and nothing changes. */
  class Replay implements fc.AsyncCommand<Model, Real> {
    check = () => true
    async run(model: Model, real: Real): Promise<void> {
      if (!real.last) return
      const { path, key: idempotencyKey, body, status, text } = real.last
      const res = await as(app, frontend).post(path).set('Idempotency-Key', idempotencyKey).send(body)
      if (status === 204) {
        expect(res.status).to.equal(204)
        expect(res.headers['idempotent-replayed']).to.equal('true')
      } else {
        // A refused request stored nothing, so the key runs it again and the machine refuses again.
        expect(res.status).to.equal(409)
        expect(res.text).to.equal(text)
      }
      await agree(model, real)
    }
    toString = () => 'replay'
  }

  const timestamp = fc
    .date({ min: new Date('2030-01-01T00:00:00Z'), max: new Date('2032-12-31T23:59:59Z'), noInvalidDate: true })
    .map(d => d.toISOString())
  const commands = [
    ...ROUTES.map(route => timestamp.map(t => new Transition(route, t) as fc.AsyncCommand<Model, Real>)),
    fc.constant(new Replay() as fc.AsyncCommand<Model, Real>),
  ]

  it('accept, start, complete, cancel and replays in any order: 204 exactly when the machine allows, else 409 with the status', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 10 }), async cmds => {
        const allocation = await anAllocation(world, { attributes: { moves_count: 1 } })
        const moveId = allocation.moveIds[0]!
        const person = await aPerson(world)
        await assignProfile(world, frontend, moveId, await aProfile(world, { personId: person })).expect(200)
        await fc.asyncModelRun(
          // MoveRequested, then the MoveUpdate of the profile assigned.
          () => ({ model: { status: 'requested' as MoveStatus, events: 2 }, real: { moveId } }),
          cmds,
        )
      }),
      { numRuns: Number(process.env.MODEL_RUNS ?? 25) },
    )
  })
})

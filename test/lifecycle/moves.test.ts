import { expect } from 'chai'
import type { Express } from 'express'
import type { Services } from '../../lib/services'
import { as, type TestClient } from '../support/app'
import { testWorld, type World } from '../support/world'
import { key, uniqueDate, location, aProfile, aMove, moveEvent, postMove } from '../support/builders'
import { locationRef } from '../support/bodies'
import { onPostgres } from '../support/db'

describe('Book a Secure Move: the move lifecycle', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let geoamey: TestClient
  let serco: TestClient

  before(async function () {
    // The first suite of a run migrates and seeds the shared database.
    this.timeout(60_000)
    world = await testWorld()
    ;({ services, app, frontend, geoamey, serco } = world)
  })

  const status = async (id: string) => (await services.db('moves').where({ id }).first('status')).status as string
  const events = async (id: string) =>
    (await services.db('move_events').where({ move_id: id }).orderBy('id').select('event_type')).map(e => e.event_type)

  describe('creating a move', () => {
    it('when a requested move is posted, then it is 201 with Location, its supplier and a MoveRequested event', async () => {
      const profileId = await aProfile(world)
      const date = uniqueDate()
      const res = await postMove(
        world,
        frontend,
        { move_type: 'court_appearance', date, additional_information: 'first hearing' },
        {
          from_location: locationRef(await location(world, 'bsi')),
          to_location: locationRef(await location(world, 'brmcc')),
          profile: { data: { type: 'profiles', id: profileId } },
        },
      ).expect(201)
      expect(res.headers.location).to.match(new RegExp(`/api/moves/${res.body.data.id}$`))
      expect(res.body.data.attributes).to.include({ status: 'requested', move_type: 'court_appearance', date })
      expect(res.body.data.relationships.profile.data.id).to.equal(profileId)
      const supplier = await services.db('suppliers').where({ key: 'geoamey' }).first('id')
      expect(res.body.data.relationships.supplier.data.id).to.equal(supplier.id)
      expect(await events(res.body.data.id)).to.deep.equal(['MoveRequested'])
    })

    it('when a proposed move is posted with date_from, then it is created with a MoveProposed event', async () => {
      const move = await aMove(world, { status: 'proposed' })
      expect(await status(move.id)).to.equal('proposed')
      expect(await events(move.id)).to.deep.equal(['MoveProposed'])
    })

    it('when attributes are invalid, then it is 422 with a pointer for each and nothing is created', async () => {
      const before = await services.db('moves').count('* as n').first()
      const res = await postMove(
        world,
        frontend,
        { move_type: 'teleport', status: 'booked', date: '31/12/2031', move_agreed: 'yes' },
        {},
      ).expect(422)
      const pointers = res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)
      expect(pointers).to.include.members([
        '/data/attributes/move_type',
        '/data/attributes/status',
        '/data/attributes/date',
        '/data/attributes/move_agreed',
        '/data/relationships/from_location',
      ])
      // What the body alone decides (the contract) is answered first; comparing two dates is the service's.
      const attributes = {
        move_type: 'prison_transfer',
        status: 'proposed',
        date_from: '2031-02-02',
        date_to: '2031-02-01',
      }
      const proposed = await postMove(world, frontend, attributes, {
        from_location: locationRef(await location(world, 'bsi')),
      }).expect(422)
      expect(proposed.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.have.members([
        '/data/relationships/profile',
        '/data/relationships/to_location',
      ])
      const backwards = await postMove(world, frontend, attributes, {
        from_location: locationRef(await location(world, 'bsi')),
        to_location: locationRef(await location(world, 'iwi')),
        profile: { data: { type: 'profiles', id: crypto.randomUUID() } },
      }).expect(422)
      expect(backwards.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)).to.deep.equal([
        '/data/attributes/date_to',
      ])
      const after = await services.db('moves').count('* as n').first()
      expect(Number(after!.n)).to.equal(Number(before!.n))
    })

    it("when the locations break the move type's rules or to is from, then it is refused", async () => {
      const [bsi, iwi, brmcc, wmp, qeh] = await Promise.all(
        ['bsi', 'iwi', 'brmcc', 'wmp000', 'qeh'].map(k => location(world, k)),
      )
      const cases: [string, string, string | null, string][] = [
        ['court_appearance', bsi, iwi, '/data/relationships/to_location'],
        ['hospital', bsi, brmcc, '/data/relationships/to_location'],
        ['police_transfer', bsi, wmp, '/data/relationships/from_location'],
        ['prison_transfer', brmcc, iwi, '/data/relationships/from_location'],
        ['prison_remand', wmp, qeh, '/data/relationships/to_location'],
        ['court_other', brmcc, iwi, '/data/relationships/to_location'],
        ['extradition', bsi, iwi, '/data/relationships/to_location'],
        ['prison_recall', bsi, null, '/data/relationships/from_location'],
        ['prison_transfer', bsi, null, '/data/relationships/to_location'],
        ['prison_transfer', bsi, bsi, '/data/relationships/to_location'],
      ]
      for (const [moveType, from, to, pointer] of cases) {
        const res = await postMove(
          world,
          frontend,
          { move_type: moveType, date: uniqueDate() },
          { from_location: locationRef(from), ...(to ? { to_location: locationRef(to) } : {}) },
        ).expect(422)
        expect(
          res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer),
          `${moveType} ${from} -> ${to}`,
        ).to.include(pointer)
      }
      await postMove(
        world,
        frontend,
        { move_type: 'prison_recall', date: uniqueDate() },
        { from_location: locationRef(wmp) },
      ).expect(201)
      await postMove(
        world,
        frontend,
        { move_type: 'hospital', date: uniqueDate() },
        { from_location: locationRef(bsi), to_location: locationRef(qeh) },
      ).expect(201)
    })

    it('when a location or profile does not exist, then it is 404', async () => {
      const missing = crypto.randomUUID()
      const res = await postMove(
        world,
        frontend,
        { move_type: 'prison_transfer', date: uniqueDate() },
        { from_location: locationRef(missing), to_location: locationRef(await location(world, 'iwi')) },
      ).expect(404)
      expect(res.body.errors[0].source.pointer).to.equal('/data/relationships/from_location')
      await postMove(
        world,
        frontend,
        { move_type: 'prison_transfer', date: uniqueDate() },
        {
          from_location: locationRef(await location(world, 'bsi')),
          to_location: locationRef(await location(world, 'iwi')),
          profile: { data: { type: 'profiles', id: missing } },
        },
      ).expect(404)
    })

    it('when the person already has a live move on the same route and date, then it is 422 taken with the existing id', async () => {
      const first = await aMove(world)
      const body = {
        from_location: locationRef(await location(world, 'bsi')),
        to_location: locationRef(await location(world, 'iwi')),
        profile: { data: { type: 'profiles', id: first.profileId } },
      }
      const res = await postMove(world, frontend, { move_type: 'prison_transfer', date: first.date }, body).expect(422)
      expect(res.body.errors[0]).to.include({ code: 'taken', detail: 'Date has already been taken' })
      expect(res.body.errors[0].meta).to.deep.equal({ existing_id: first.id })
      expect(res.body.errors[0].source.pointer).to.equal('/data/attributes/date')
      await postMove(
        world,
        frontend,
        { move_type: 'prison_transfer', status: 'proposed', date_from: first.date },
        body,
      ).expect(201)
      await moveEvent(world, frontend, first.id, 'cancel', { cancellation_reason: 'made_in_error' }).expect(204)
      await postMove(world, frontend, { move_type: 'prison_transfer', date: first.date }, body).expect(201)
    })
  })

  ;(onPostgres ? describe : describe.skip)('creating a move (PostgreSQL)', () => {
    it('when the same move is created twice at once, then one is created and the other is 422 taken', async () => {
      const profileId = await aProfile(world)
      const date = uniqueDate()
      const relationships = {
        from_location: locationRef(await location(world, 'bsi')),
        to_location: locationRef(await location(world, 'iwi')),
        profile: { data: { type: 'profiles', id: profileId } },
      }
      for (let round = 0; round < 3; round++) {
        const roundDate = round === 0 ? date : uniqueDate()
        const results = await Promise.all(
          Array.from({ length: 4 }, () =>
            postMove(world, frontend, { move_type: 'prison_transfer', date: roundDate }, relationships),
          ),
        )
        const statuses = results.map(r => r.status).sort()
        expect(statuses).to.deep.equal([201, 422, 422, 422])
        const created = results.find(r => r.status === 201)!.body.data.id
        for (const r of results.filter(r => r.status === 422)) {
          expect(r.body.errors[0].meta.existing_id).to.equal(created)
        }
        const live = await services
          .db('moves')
          .where({ profile_id: profileId, date: roundDate })
          .whereNot('status', 'cancelled')
          .count('* as n')
          .first()
        expect(Number(live!.n)).to.equal(1)
      }
    })
  })

  describe('approve', () => {
    it('when a proposed move is approved, then it is requested on the date given, with a MoveApprove event', async () => {
      const move = await aMove(world, { status: 'proposed' })
      const date = uniqueDate()
      await moveEvent(world, frontend, move.id, 'approve', { date }).expect(204)
      const row = await services
        .db('moves')
        .where({ id: move.id })
        .first(services.db.raw('date::text as date'), 'status')
      expect(row).to.deep.equal({ date, status: 'requested' })
      expect(await events(move.id)).to.deep.equal(['MoveProposed', 'MoveApprove'])
    })

    it('when the move is not proposed, then approve is 409 invalid_transition; without a date it is 422', async () => {
      const move = await aMove(world)
      const res = await moveEvent(world, frontend, move.id, 'approve', { date: uniqueDate() }).expect(409)
      expect(res.body.errors[0]).to.include({ code: 'invalid_transition' })
      expect(res.body.errors[0].meta).to.deep.equal({ status: 'requested', event: 'approve' })
      const proposed = await aMove(world, { status: 'proposed' })
      await moveEvent(world, frontend, proposed.id, 'approve', {}).expect(422)
      expect(await status(proposed.id)).to.equal('proposed')
    })

    it('when the approved date duplicates a live move of the same person, then it is 422 taken', async () => {
      const live = await aMove(world)
      const res = await postMove(
        world,
        frontend,
        { move_type: 'prison_transfer', status: 'proposed', date_from: live.date },
        {
          from_location: locationRef(await location(world, 'bsi')),
          to_location: locationRef(await location(world, 'iwi')),
          profile: { data: { type: 'profiles', id: live.profileId } },
        },
      ).expect(201)
      const taken = await moveEvent(world, frontend, res.body.data.id, 'approve', { date: live.date }).expect(422)
      expect(taken.body.errors[0].meta).to.deep.equal({ existing_id: live.id })
      expect(await status(res.body.data.id)).to.equal('proposed')
    })
  })

  describe('reject', () => {
    it('when a requested move is rejected, then it is cancelled with reason rejected and the rejection reason', async () => {
      const move = await aMove(world)
      await moveEvent(world, frontend, move.id, 'reject', {
        rejection_reason: 'no_transport_available',
        cancellation_reason_comment: 'no van',
      }).expect(204)
      const row = await services.db('moves').where({ id: move.id }).first()
      expect(row).to.include({
        status: 'cancelled',
        cancellation_reason: 'rejected',
        rejection_reason: 'no_transport_available',
        cancellation_reason_comment: 'no van',
      })
      expect(await services.db('moves').where({ original_move_id: move.id }).first()).to.equal(undefined)
      expect(await events(move.id)).to.deep.equal(['MoveRequested', 'MoveReject'])
    })

    it('when a move is rejected with rebook, then a proposed move a week later is linked by original_move', async () => {
      const move = await aMove(world, { status: 'proposed', date: '2032-03-01' })
      await moveEvent(world, frontend, move.id, 'reject', {
        rejection_reason: 'no_space_at_receiving_prison',
        rebook: true,
      }).expect(204)
      const rebooked = await services.db('moves').where({ original_move_id: move.id }).first()
      expect(rebooked).to.include({ status: 'proposed', profile_id: move.profileId, move_type: 'prison_transfer' })
      const res = await as(app, frontend)
        .get(`/api/moves/${rebooked.id}`)
        .set('Accept', 'application/vnd.api+json; version=2')
        .query({ include: 'original_move' })
        .expect(200)
      expect(res.body.data.attributes.date_from).to.equal('2032-03-08')
      expect(res.body.data.relationships.original_move.data.id).to.equal(move.id)
      expect(await events(rebooked.id)).to.deep.equal(['MoveProposed'])
    })

    it('when the move is booked, then reject is 409; for an unknown rejection reason it is 422', async () => {
      const move = await aMove(world)
      await moveEvent(world, frontend, move.id, 'reject', { rejection_reason: 'bored' }).expect(422)
      await moveEvent(world, frontend, move.id, 'accept').expect(204)
      const res = await moveEvent(world, frontend, move.id, 'reject', {
        rejection_reason: 'no_transport_available',
      }).expect(409)
      expect(res.body.errors[0].meta.status).to.equal('booked')
      expect(await status(move.id)).to.equal('booked')
    })
  })

  describe('cancel and reject at every stage', () => {
    const stages = {
      proposed: [],
      requested: [],
      booked: ['accept'],
      in_transit: ['accept', 'start'],
      completed: ['accept', 'start', 'complete'],
    } as const
    const rejectable = ['proposed', 'requested']

    for (const [stage, path] of Object.entries(stages)) {
      it(`when a move is ${stage}, then its supplier may cancel it${rejectable.includes(stage) ? ' or reject it' : ', but not reject it'}`, async () => {
        const make = async () => {
          const move = await aMove(world, {
            by: geoamey,
            status: stage === 'proposed' ? 'proposed' : 'requested',
            from: 'bsi',
            to: 'iwi',
          })
          for (const event of path) await moveEvent(world, geoamey, move.id, event).expect(204)
          return move.id
        }
        const cancelled = await make()
        await moveEvent(world, geoamey, cancelled, 'cancel', { cancellation_reason: 'supplier_no_resource' }).expect(
          204,
        )
        expect(await status(cancelled)).to.equal('cancelled')
        expect((await events(cancelled)).at(-1)).to.equal('MoveCancel')

        const rejected = await make()
        const reject = moveEvent(world, geoamey, rejected, 'reject', { rejection_reason: 'no_transport_available' })
        if (rejectable.includes(stage)) {
          await reject.expect(204)
          expect(await status(rejected)).to.equal('cancelled')
        } else {
          const res = await reject.expect(409)
          expect(res.body.errors[0].meta).to.deep.equal({ status: stage, event: 'reject' })
          expect(await status(rejected)).to.equal(stage)
        }
      })
    }
  })

  describe('lockouts', () => {
    it('when a booked move is locked out, then it keeps its status and the event carries the reason', async () => {
      const move = await aMove(world)
      await moveEvent(world, frontend, move.id, 'accept').expect(204)
      await moveEvent(
        world,
        frontend,
        move.id,
        'lockouts',
        { reason: 'late_sitting_court', notes: 'court sat late' },
        { from_location: locationRef(await location(world, 'brmcc')) },
      ).expect(204)
      const row = await services.db('moves').where({ id: move.id }).first('status', 'is_lockout')
      expect(row).to.deep.equal({ status: 'booked', is_lockout: true })
      const event = await services.db('move_events').where({ move_id: move.id, event_type: 'MoveLockout' }).first()
      expect(event.details).to.deep.equal({ reason: 'late_sitting_court' })
      expect(event.from_location_id).to.equal(await location(world, 'brmcc'))
      expect(event.notes).to.equal('court sat late')
    })

    it('when the move is only requested, then a lockout is 409; without a reason it is 422', async () => {
      const move = await aMove(world)
      const res = await moveEvent(world, frontend, move.id, 'lockouts', { reason: 'no_space' }).expect(409)
      expect(res.body.errors[0].meta).to.deep.equal({ status: 'requested', event: 'lockout' })
      await moveEvent(world, frontend, move.id, 'lockouts', {}).expect(422)
      expect((await services.db('moves').where({ id: move.id }).first('is_lockout')).is_lockout).to.equal(false)
    })
  })

  describe('redirects', () => {
    it('when a move is redirected, then it goes to the new destination and the suppliers who see it change with it', async () => {
      const move = await aMove(world, { from: 'bsi', to: 'iwi' })
      await as(app, serco).get(`/api/moves/${move.id}`).expect(404)
      await as(app, geoamey).get(`/api/moves/${move.id}`).expect(200)
      const leeds = await location(world, 'lei')
      await moveEvent(
        world,
        geoamey,
        move.id,
        'redirects',
        { reason: 'no_space' },
        { to_location: locationRef(leeds) },
      ).expect(204)
      const res = await as(app, serco).get(`/api/moves/${move.id}`).expect(200)
      expect(res.body.data.relationships.to_location.data.id).to.equal(leeds)
      expect(res.body.data.attributes.status).to.equal('requested')
      const event = await services.db('move_events').where({ move_id: move.id, event_type: 'MoveRedirect' }).first()
      expect(event.details).to.deep.include({ reason: 'no_space', from_to_location_id: await location(world, 'iwi') })
      expect(event.to_location_id).to.equal(leeds)
    })

    it("when the new destination breaks the move type's rules, then it is refused; for a completed move it is 409", async () => {
      const move = await aMove(world)
      const res = await moveEvent(
        world,
        frontend,
        move.id,
        'redirects',
        { move_type: 'court_appearance' },
        { to_location: locationRef(await location(world, 'lei')) },
      ).expect(422)
      expect(res.body.errors[0].source.pointer).to.equal('/data/relationships/to_location')
      await moveEvent(world, frontend, move.id, 'redirects', {}, {}).expect(422)
      for (const event of ['accept', 'start', 'complete']) await moveEvent(world, frontend, move.id, event).expect(204)
      const refused = await moveEvent(
        world,
        frontend,
        move.id,
        'redirects',
        {},
        { to_location: locationRef(await location(world, 'lei')) },
      ).expect(409)
      expect(refused.body.errors[0].meta).to.deep.equal({ status: 'completed', event: 'redirect' })
    })
  })

  it('when another supplier cannot see the move, then its events are 404; an event sent again with the same key is replayed', async () => {
    const move = await aMove(world, { from: 'bsi', to: 'iwi' })
    await moveEvent(world, serco, move.id, 'reject', { rejection_reason: 'no_transport_available' }).expect(404)
    const idempotencyKey = key()
    const send = () =>
      as(app, frontend)
        .post(`/api/moves/${move.id}/reject`)
        .set('Idempotency-Key', idempotencyKey)
        .send({
          data: {
            type: 'rejects',
            attributes: { timestamp: '2031-01-01T10:00:00Z', rejection_reason: 'no_transport_available' },
          },
        })
    await send().expect(204)
    const replay = await send().expect(204)
    expect(replay.headers['idempotent-replayed']).to.equal('true')
  })
})

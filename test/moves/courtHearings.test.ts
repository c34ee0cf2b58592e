import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, aPrisoner, aProfile, post, uniqueDate } from '../support/builders'
import { ref } from '../support/bodies'
import { testWorld, type World } from '../support/world'

const hearingBody = (attributes: Record<string, unknown>, moveId?: string) => ({
  data: {
    type: 'court_hearings',
    attributes,
    ...(moveId ? { relationships: { move: ref('moves', moveId) } } : {}),
  },
})

describe('Court hearings (issue #21)', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  /** A court appearance from Leeds to Leeds Crown Court for a prisoner in our records; answers the move and ids. */
  async function aCourtMove() {
    const prisoner = await aPrisoner(world)
    const profileId = await aProfile(world, { personId: prisoner.personId })
    const move = await aMove(world, { profileId, from: 'lei', to: 'leedcc', moveType: 'court_appearance' })
    return { ...prisoner, move }
  }

  it('when a hearing is posted for a move, then it is answered with its case details and listed on the move', async () => {
    const { move } = await aCourtMove()
    const res = await post(world, world.frontend, '/api/court_hearings?do_not_save_to_nomis=true')
      .send(
        hearingBody(
          {
            start_time: `${move.date}T10:00:00Z`,
            case_number: 'T20267001',
            case_type: 'Adult',
            case_start_date: '2026-01-05',
            comments: 'Plea hearing',
          },
          move.id,
        ),
      )
      .expect(201)
    expect(res.body.data.type).to.equal('court_hearings')
    expect(res.body.data.attributes).to.deep.include({
      start_time: `${move.date}T10:00:00.000Z`,
      case_number: 'T20267001',
      case_type: 'Adult',
      case_start_date: '2026-01-05',
      comments: 'Plea hearing',
      saved_to_nomis: false,
      nomis_hearing_id: null,
    })
    expect(res.body.data.relationships.move.data).to.deep.equal({ type: 'moves', id: move.id })

    const shown = await as(world.app, world.frontend).get(`/api/moves/${move.id}?include=court_hearings`).expect(200)
    expect(shown.body.data.relationships.court_hearings.data).to.deep.equal([
      { type: 'court_hearings', id: res.body.data.id },
    ])
    expect(shown.body.included.map((r: { type: string }) => r.type)).to.include('court_hearings')
  })

  it("when a hearing of a move is saved to the records, then it has a hearing id and shows in the person's timetable", async () => {
    const { move, personId } = await aCourtMove()
    const res = await post(world, world.frontend, '/api/court_hearings')
      .send(hearingBody({ start_time: `${move.date}T09:30:00Z` }, move.id))
      .expect(201)
    expect(res.body.data.attributes.saved_to_nomis).to.equal(true)
    expect(res.body.data.attributes.nomis_hearing_id).to.be.a('number')

    const timetable = await as(world.app, world.frontend)
      .get(
        `/api/people/${personId}/timetable?filter[date_from]=${move.date}&filter[date_to]=${move.date}&include=location`,
      )
      .expect(200)
    expect(timetable.body.data).to.have.length(1)
    expect(timetable.body.data[0].attributes).to.deep.equal({
      start_time: `${move.date}T09:30:00.000Z`,
      nomis_type: 'CRT',
      reason: 'Court hearing',
    })
    expect(timetable.body.included[0].attributes.key).to.equal('leedcc')
  })

  it('when a hearing names no move, then it is kept on its own and saved nowhere else', async () => {
    const res = await post(world, world.frontend, '/api/court_hearings')
      .send(hearingBody({ start_time: `${uniqueDate()}T10:00:00Z`, nomis_case_id: 12 }))
      .expect(201)
    expect(res.body.data.attributes).to.deep.include({ saved_to_nomis: false, nomis_case_id: 12 })
    expect(res.body.data.relationships.move.data).to.equal(null)
  })

  it('when the start time is missing or the comments are too long, then it is 422 at the member and nothing is kept', async () => {
    const before = Number((await world.services.db('court_hearings').count('* as n').first())!.n)
    const res = await post(world, world.frontend, '/api/court_hearings')
      .send(hearingBody({ comments: 'x'.repeat(241) }))
      .expect(422)
    const pointers = res.body.errors.map((e: { source: { pointer: string } }) => e.source.pointer)
    expect(pointers).to.include.members(['/data/attributes/start_time', '/data/attributes/comments'])
    expect(Number((await world.services.db('court_hearings').count('* as n').first())!.n)).to.equal(before)
  })

  it("when a supplier names another supplier's move, then it is refused and no hearing is kept", async () => {
    const { move } = await aCourtMove()
    const res = await post(world, world.geoamey, '/api/court_hearings').send(
      hearingBody({ start_time: `${move.date}T10:00:00Z` }, move.id),
    )
    expect(res.status).to.equal(404)
    expect(await world.services.db('court_hearings').where({ move_id: move.id }).first()).to.equal(undefined)
  })

  it('when a hearing names a move that does not exist, then it is 404 at the move', async () => {
    const res = await post(world, world.frontend, '/api/court_hearings')
      .send(hearingBody({ start_time: '2031-01-01T10:00:00Z' }, crypto.randomUUID()))
      .expect(404)
    expect(res.body.errors[0].source.pointer).to.equal('/data/relationships/move')
  })

  it('when the same hearing is posted again with its key, then the first answer is replayed and one hearing kept', async () => {
    const { move } = await aCourtMove()
    const idempotencyKey = crypto.randomUUID()
    const send = () =>
      as(world.app, world.frontend)
        .post('/api/court_hearings')
        .set('Idempotency-Key', idempotencyKey)
        .send(hearingBody({ start_time: `${move.date}T10:00:00Z` }, move.id))
    const first = await send().expect(201)
    const again = await send().expect(201)
    expect(again.headers['idempotent-replayed']).to.equal('true')
    expect(again.body.data.id).to.equal(first.body.data.id)
    expect(await world.services.db('court_hearings').where({ move_id: move.id })).to.have.length(1)
  })
})

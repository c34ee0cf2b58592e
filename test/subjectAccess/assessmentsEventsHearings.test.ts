import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { as, type TestClient } from '../support/app'
import { anAssessment, answerAll } from '../support/assessments'
import { aMove, aPerson, aProfile, key, location } from '../support/builders'
import { validEventBody } from '../support/eventBodies'
import { testWorld, type World } from '../support/world'

/**
 * Subject access (issue #21) answers what the later capabilities hold about a person too: the person
 * escort record with its answers (issue #15), the events posted about the person's moves and about the
 * person (issue #14), and the court hearings of the moves.
 */
describe('Subject access: assessments, events and court hearings', () => {
  let world: World
  let sar: TestClient

  before(async () => {
    world = await testWorld()
    sar = await world.clientWith({ roles: ['subject-access'] })
  })

  it('when a person has an answered PER, a person event and a hearing, then each is in its section', async () => {
    const prisonNumber = `S${randomBytes(3).toString('hex').toUpperCase()}Y`
    const personId = await aPerson(world, { attributes: { prison_number: prisonNumber } })
    const profileId = await aProfile(world, { personId })
    const move = await aMove(world, { profileId })
    const per = await anAssessment(world, { moveId: move.id })
    await answerAll(world, per.id)
    const at = await location(world, 'lei')
    await as(world.app, world.frontend)
      .post('/api/events')
      .set('Idempotency-Key', key())
      .send(
        validEventBody('PersonMoveAssault', { move: move.id, person: personId, location: at }, { eventable: 'people' }),
      )
      .expect(201)
    await as(world.app, world.frontend)
      .post('/api/court_hearings')
      .set('Idempotency-Key', key())
      .send({
        data: {
          type: 'court_hearings',
          attributes: { start_time: '2031-01-01T10:00:00Z', case_number: 'T20317001' },
          relationships: { move: { data: { type: 'moves', id: move.id } } },
        },
      })
      .expect(201)

    const { content } = (
      await as(world.app, sar).get('/subject-access-request').query({ prn: prisonNumber }).expect(200)
    ).body

    expect(content.person_escort_records.map((r: { id: string }) => r.id)).to.deep.equal([per.id])
    expect(content.person_escort_records[0].status).to.equal('completed')
    expect(content.person_escort_records[0].responses).to.have.length.above(0)
    expect(content.youth_risk_assessments).to.deep.equal([])
    const personEvents = content.events.filter((e: { eventable_type: string }) => e.eventable_type === 'people')
    expect(personEvents.map((e: { event_type: string }) => e.event_type)).to.deep.equal(['PersonMoveAssault'])
    expect(content.events.map((e: { event_type: string }) => e.event_type)).to.include('PerCompletion')
    expect(content.court_hearings.map((h: { case_number: string }) => h.case_number)).to.deep.equal(['T20317001'])
  })
})

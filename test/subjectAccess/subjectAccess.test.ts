import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { SECTIONS } from '../../lib/subjectAccess/subjectAccess'
import { as, type TestClient } from '../support/app'
import { aDocument, aMove, aPerson, aProfile, moveEvent, setDocuments } from '../support/builders'
import { testWorld, type World } from '../support/world'

describe('Subject access requests', () => {
  let world: World
  let sar: TestClient

  before(async () => {
    world = await testWorld()
    sar = await world.clientWith({ roles: ['subject-access'] })
  })

  const ask = (query: Record<string, string>, by = sar) => as(world.app, by).get('/subject-access-request').query(query)

  /** A person with a prison number of their own, a move (accepted) and a document on its profile. */
  async function aSubject() {
    const prisonNumber = `S${randomBytes(3).toString('hex').toUpperCase()}X`
    const personId = await aPerson(world, { attributes: { prison_number: prisonNumber } })
    const profileId = await aProfile(world, { personId })
    const move = await aMove(world, { profileId })
    await moveEvent(world, world.frontend, move.id, 'accept').expect(204)
    const document = await aDocument(world)
    await setDocuments(world, world.frontend, personId, profileId, [document]).expect(200)
    return { prisonNumber, personId, profileId, move, document }
  }

  it('when we hold a person, then content has each section: the person, profiles, moves, events and documents', async () => {
    const subject = await aSubject()
    const res = await ask({ prn: subject.prisonNumber.toLowerCase() }).expect(200)
    expect(res.headers['content-type']).to.equal('application/json')
    const { content } = res.body
    expect(Object.keys(content)).to.deep.equal(Object.keys(SECTIONS))
    expect(content.people).to.have.length(1)
    expect(content.people[0]).to.include({
      id: subject.personId,
      prison_number: subject.prisonNumber,
      last_name: 'TESTER',
    })
    expect(content.profiles.map((p: { id: string }) => p.id)).to.deep.equal([subject.profileId])
    expect(content.moves.map((m: { id: string }) => m.id)).to.deep.equal([subject.move.id])
    expect(content.moves[0]).to.include({ status: 'booked', from_location: 'BRINSFORD (HMP)' })
    expect(content.events.map((e: { event_type: string }) => e.event_type)).to.include('MoveAccept')
    expect(content.journeys).to.deep.equal([])
    expect(content.documents).to.have.length(1)
    expect(content.documents[0]).to.include({ id: subject.document, content_type: 'application/pdf' })
  })

  it('when the dates end before anything was recorded, then the person is there and every other section is empty', async () => {
    const subject = await aSubject()
    const res = await ask({ prn: subject.prisonNumber, from_date: '2020-01-01', to_date: '2020-12-31' }).expect(200)
    const { people, ...rest } = res.body.content
    expect(people).to.have.length(1)
    for (const records of Object.values(rest)) expect(records).to.deep.equal([])
  })

  it('when we hold nobody with the prison number, then it is 204; a case reference number alone is 209', async () => {
    await ask({ prn: 'Z9999ZZ' }).expect(204)
    await ask({ crn: 'X123456' }).expect(209)
  })

  it('when the client lacks the subject-access role, then it is 403 in the HMPPS shape; without a token, 401', async () => {
    const res = await ask({ prn: 'A1234BC' }, world.frontend).expect(403)
    expect(res.body).to.include({ status: 403, errorCode: 'forbidden' })
    await as(world.app, { ...sar, token: 'not-a-token' })
      .get('/subject-access-request')
      .query({ prn: 'A1234BC' })
      .expect(401)
  })
})

import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, uniqueDate } from '../support/builders'
import { answerAll, anAssessment } from '../support/assessments'
import { testWorld, type World } from '../support/world'

describe('Assessments: filter[ready_for_transit] on the move list', () => {
  let world: World
  before(async () => {
    world = await testWorld()
  })

  it('when one move’s record is completed, one’s in progress and one has none, then true lists the first and false the others', async () => {
    const date = uniqueDate()
    const ready = await anAssessment(world, { move: { date } })
    await answerAll(world, ready.id)
    const started = await anAssessment(world, { move: { date } })
    const none = await aMove(world, { date })
    const list = async (value: string) => {
      const res = await as(world.app, world.frontend)
        .get('/api/moves')
        .set('Accept', 'application/vnd.api+json; version=2')
        .query({
          'filter[date_from]': date,
          'filter[date_to]': date,
          'filter[ready_for_transit]': value,
          include: 'profile.person_escort_record,profile.person_escort_record.flags',
        })
        .expect(200)
      return res.body
    }
    const yes = await list('true')
    expect(yes.data.map((m: { id: string }) => m.id)).to.deep.equal([ready.moveId])
    const record = yes.included.find((r: { type: string }) => r.type === 'person_escort_records')
    expect(record).to.deep.include({ id: ready.id })
    expect(record.attributes.status).to.equal('completed')
    const no = await list('false')
    expect(no.data.map((m: { id: string }) => m.id)).to.have.members([started.moveId, none.id])
  })
})

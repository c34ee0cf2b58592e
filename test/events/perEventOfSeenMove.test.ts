import { expect } from 'chai'
import { as, V2 } from '../support/app'
import { location } from '../support/builders'
import { aRecordOfASeenMove } from '../support/assessments'
import { postEvent } from '../support/events'
import { testWorld, type World } from '../support/world'

/**
 * A person escort record is for the escort that moves the person: a supplier that only sees the move
 * (it ends at one of its prisons) does not see the record (issue #15), so neither may it post about it
 * nor read what was posted about it (issue #14).
 */
describe('Events: a person escort record of a move a supplier only sees', function () {
  // A record is made with a response per question, which takes a while on a loaded machine.
  this.timeout(60_000)
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when that supplier posts about the record or reads an event of it, then it is 404 as the record is, and nothing is stored', async () => {
    const per = await aRecordOfASeenMove(world)
    const move = { id: per.moveId }
    const eventable = { type: 'person_escort_records', id: per.id }
    const medical = {
      details: { supplier_personnel_number: 'S1234', advised_by: 'the nurse' },
      relationships: { location: await location(world, 'lei') },
    }
    await as(world.app, world.geoamey).get(`/api/person_escort_records/${per.id}`).set('Accept', V2).expect(404)
    const before = await world.services.db('move_events').where({ move_id: move.id }).count({ n: '*' }).first()

    const refused = await postEvent(world, world.geoamey, 'PerMedicalAid', eventable, medical).expect(404)
    expect(refused.body.errors[0]).to.include({ code: 'not_found' })
    expect(refused.body.errors[0].detail).to.contain(per.id)
    expect(await world.services.db('move_events').where({ move_id: move.id }).count({ n: '*' }).first()).to.deep.equal(
      before,
    )

    const posted = await postEvent(world, world.frontend, 'PerMedicalAid', eventable, medical).expect(201)
    await as(world.app, world.geoamey).get(`/api/events/${posted.body.data.id}`).set('Accept', V2).expect(404)
    await as(world.app, world.frontend).get(`/api/events/${posted.body.data.id}`).set('Accept', V2).expect(200)
  })
})

import { expect } from 'chai'
import { as, V2 } from '../support/app'
import { location } from '../support/builders'
import { aRecordOfASeenMove } from '../support/assessments'
import { postEvent } from '../support/events'
import { testWorld, type World } from '../support/world'

/**
 * A person escort record is for the escort that moves the person (issue #15): a supplier that only
 * sees the move (it ends at one of its prisons) reads neither the record nor what was posted about it
 * (issue #14), whichever way it asks: by id, or included with the move.
 */
describe('Assessments: included with a move a supplier only sees', function () {
  // A record is made with a response per question, which takes a while on a loaded machine.
  this.timeout(60_000)
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when that supplier reads the move with its record, flags and timeline, then neither the record nor its events are there', async () => {
    const per = await aRecordOfASeenMove(world)
    const move = { id: per.moveId }
    await postEvent(world, world.frontend, 'PerMedicalAid', { type: 'person_escort_records', id: per.id }, {
      details: { supplier_personnel_number: 'S1234', advised_by: 'the nurse' },
      relationships: { location: await location(world, 'lei') },
    }).expect(201)
    const include = 'profile.person_escort_record.flags,timeline_events,important_events'
    const read = (by: World['frontend']) =>
      as(world.app, by).get(`/api/moves/${move.id}`).query({ include }).set('Accept', V2).expect(200)
    const types = (res: { body: { included?: { type: string; attributes: { event_type?: string } }[] } }) =>
      (res.body.included ?? []).map(r => r.attributes.event_type ?? r.type)

    const seer = await read(world.geoamey)
    expect(types(seer)).not.to.include('person_escort_records')
    expect(types(seer)).not.to.include('PerMedicalAid')
    expect(types(seer)).to.include('MoveRequested')

    const owner = await read(world.serco)
    expect(types(owner)).to.include.members(['person_escort_records', 'PerMedicalAid'])
  })
})

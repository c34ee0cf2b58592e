import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, moveEvent } from '../support/builders'
import { testWorld, type World } from '../support/world'

type Resource = { type: string; id: string; relationships: Record<string, { data: unknown }> }

/**
 * A relationship looked up only when included (a move's timeline, a profile's person escort record) is
 * shown on the resources it was included below, and on no other resource of the same type.
 */
describe('Book a Secure Move: relationships shown only when included', () => {
  let world: World
  let rebooked: { id: string; originalId: string }

  before(async () => {
    world = await testWorld()
    const original = await aMove(world, { status: 'proposed' })
    await moveEvent(world, world.frontend, original.id, 'reject', {
      rejection_reason: 'no_space_at_receiving_prison',
      rebook: true,
    }).expect(204)
    const rebook = (await world.services.db('moves').where({ original_move_id: original.id }).first()) as { id: string }
    rebooked = { id: rebook.id, originalId: original.id }
  })

  const read = (url: string, include: string) =>
    as(world.app, world.frontend)
      .get(url)
      .set('Accept', 'application/vnd.api+json; version=2')
      .query({ include })
      .expect(200)

  it('when a move is read with its timeline and its original move, then the move shows timeline_events and the original move does not', async () => {
    const res = await read(`/api/moves/${rebooked.id}`, 'timeline_events,original_move')
    const move = res.body.data as Resource
    const original = (res.body.included as Resource[]).find(r => r.type === 'moves')!
    expect(original.id).to.equal(rebooked.originalId)
    expect(move.relationships).to.have.property('timeline_events')
    expect(move.relationships).not.to.have.property('important_events')
    expect(Object.keys(original.relationships)).to.deep.equal(
      Object.keys(move.relationships).filter(name => name !== 'timeline_events'),
    )
  })

  it('when a move is read with its profile’s person escort record, then the profile shows person_escort_record, as null when there is none', async () => {
    const res = await read(`/api/moves/${rebooked.id}`, 'profile.person_escort_record')
    const profile = (res.body.included as Resource[]).find(r => r.type === 'profiles')!
    expect(profile.relationships.person_escort_record).to.deep.equal({ data: null })
    expect(profile.relationships).not.to.have.property('youth_risk_assessment')
    const bare = await read(`/api/moves/${rebooked.id}`, 'profile')
    const unassessed = (bare.body.included as Resource[]).find(r => r.type === 'profiles')!
    expect(unassessed.relationships).not.to.have.property('person_escort_record')
  })
})

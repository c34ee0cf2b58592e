import { expect } from 'chai'
import { aMove } from '../support/builders'
import { onPostgres } from '../support/db'
import { moveRef, postEvent } from '../support/events'
import { testWorld, type World } from '../support/world'

const POSTS = 10

/**
 * Suppliers and the frontend post events about one move at the same moment (the bench's events POST:
 * ten at once on one move). Each must be stored and answered 201 with its own event, never refused as
 * a deadlock (503, after PostgreSQL's deadlock_timeout of 1 s); only real concurrency shows it.
 */
;(onPostgres ? describe : describe.skip)('Events: concurrent posts about one move (PostgreSQL)', function () {
  this.timeout(60_000)
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when the frontend posts ten events about one move at once, then all are stored and each answer names its own', async () => {
    const move = await aMove(world)
    const answers = await Promise.all(
      Array.from({ length: POSTS }, (_, i) =>
        postEvent(world, world.frontend, 'MoveNotifyPremisesOfArrivalIn30Mins', moveRef(move.id), {
          attributes: { notes: `post ${i}` },
        }),
      ),
    )
    expect(answers.map(a => a.status)).to.deep.equal(Array(POSTS).fill(201))
    expect(answers.map(a => a.body.data.attributes.notes)).to.deep.equal(
      Array.from({ length: POSTS }, (_, i) => `post ${i}`),
    )
    expect(new Set(answers.map(a => a.body.data.id)).size).to.equal(POSTS)
  })
})

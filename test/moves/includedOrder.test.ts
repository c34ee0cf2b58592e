import { expect } from 'chai'
import { as } from '../support/app'
import { aMove, anAllocation, uniqueDate } from '../support/builders'
import { testWorld, type World } from '../support/world'

type Linkage = { type: string; id: string }
type Resource = Linkage & { relationships?: Record<string, { data: Linkage | Linkage[] | null }> }

const keyOf = (r: Linkage) => `${r.type}:${r.id}`

/** The resources `parents` link through `name`, in the parents' order. */
function linked(parents: Resource[], name: string): string[] {
  return parents.flatMap(p => {
    const data = p.relationships?.[name]?.data
    return data ? (Array.isArray(data) ? data : [data]).map(keyOf) : []
  })
}

/** Each key once, at its first place. */
const firsts = (keys: string[]) => [...new Set(keys)]

/**
 * Clients saw `included` in the order ts-japi's include walk gave it: breadth first, relationship by
 * relationship, each relationship's resources in their parents' order. It must not follow the order
 * the database happens to return rows in.
 */
describe('Book a Secure Move: the order of included resources', () => {
  let world: World

  before(async () => {
    world = await testWorld()
  })

  it('when a move list includes the profile, its person and both locations, then `included` lists the profiles, then the from and to locations, then the people, each in the moves’ order', async () => {
    const date = uniqueDate()
    await aMove(world, { date, from: 'lei', to: 'bmi' })
    await aMove(world, { date, from: 'bsi', to: 'iwi' })
    await aMove(world, { date, from: 'iwi', to: 'lei' })
    const res = await as(world.app, world.frontend)
      .get('/api/moves')
      .query({
        'filter[date_from]': date,
        'filter[date_to]': date,
        include: 'profile.person,from_location,to_location',
      })
      .expect(200)
    const moves = res.body.data as Resource[]
    const included = res.body.included as Resource[]
    const profiles = included.filter(r => r.type === 'profiles')
    expect(included.map(keyOf)).to.deep.equal(
      firsts([
        ...linked(moves, 'profile'),
        ...linked(moves, 'from_location'),
        ...linked(moves, 'to_location'),
        ...linked(profiles, 'person'),
      ]),
    )
  })

  it('when an allocation is read with its moves, their profiles and people and its locations, then `included` goes depth by depth', async () => {
    const allocation = await anAllocation(world)
    const res = await as(world.app, world.frontend)
      .get(`/api/allocations/${allocation.id}`)
      .query({ include: 'moves.profile.person,from_location,to_location' })
      .expect(200)
    const top = [res.body.data as Resource]
    const included = res.body.included as Resource[]
    const ofType = (type: string) => included.filter(r => r.type === type)
    expect(included.map(keyOf)).to.deep.equal(
      firsts([
        ...linked(top, 'from_location'),
        ...linked(top, 'to_location'),
        ...linked(top, 'moves'),
        ...linked(ofType('moves'), 'profile'),
        ...linked(ofType('profiles'), 'person'),
      ]),
    )
  })
})

import { expect } from 'chai'
import type { Express } from 'express'
import { pncMatchKey } from '../../lib/identifiers'
import { as, type TestClient } from '../support/app'
import { aPerson } from '../support/builders'
import { testWorld, type World } from '../support/world'

/** A serial of this run, so that other tests' people never match. */
const serial = `${String(process.pid % 100).padStart(2, '0')}${String(Date.now() % 10000).padStart(4, '0')}`

describe('compatibility: the people filter fuzzy_pnc matches the short and long forms of one PNC number', () => {
  let world: World
  let app: Express
  let frontend: TestClient
  let shortForm: string
  let longForm: string
  let other: string

  before(async () => {
    world = await testWorld()
    ;({ app, frontend } = world)
    shortForm = await aPerson(world, { attributes: { police_national_computer: `19/${serial}J` } })
    longForm = await aPerson(world, { attributes: { police_national_computer: `2019/0${serial}J` } })
    other = await aPerson(world, { attributes: { police_national_computer: `19/${serial}K` } })
  })

  const fuzzy = (value: string) =>
    as(app, frontend)
      .get('/api/people')
      .query({ 'filter[fuzzy_pnc]': value, per_page: 100 })
      .expect(200)
      .then(res => (res.body.data as { id: string }[]).map(p => p.id).sort())

  it('when the key is taken from a PNC number, then the year has two digits, the serial no leading zeros and the letter is upper case', () => {
    expect(pncMatchKey('2019/0012345j')).to.equal('19/12345J')
    expect(pncMatchKey(' 19/12345J ')).to.equal('19/12345J')
    expect(pncMatchKey('not a pnc')).to.equal('NOT A PNC')
  })

  for (const [form, value] of [
    ['short', () => `19/${serial}J`],
    ['long, with a leading zero', () => `2019/0${serial}J`],
    ['lower case, with zeros', () => `2019/000${serial}j`],
  ] as const) {
    it(`when fuzzy_pnc is sent in the ${form} form, then both stored forms match and another check letter does not`, async () => {
      expect(await fuzzy(value())).to.deep.equal([shortForm, longForm].sort())
    })
  }

  it('when fuzzy_pnc lists two numbers, then people with either match', async () => {
    expect(await fuzzy(`19/${serial}J,19/${serial}K`)).to.deep.equal([shortForm, longForm, other].sort())
  })

  it('when police_national_computer is sent instead, then it stays exact: only the one stored form matches', async () => {
    const res = await as(app, frontend)
      .get('/api/people')
      .query({ 'filter[police_national_computer]': `19/${serial}J` })
      .expect(200)
    expect((res.body.data as { id: string }[]).map(p => p.id)).to.deep.equal([shortForm])
  })
})

import { expect } from 'chai'
import type { Express } from 'express'
import supertest from 'supertest'
import { walkthroughIds } from '../../db/seeds/referenceData'
import type { Services } from '../../lib/services'
import { type TestClient, V2 } from '../support/app'
import { testWorld, type World } from '../support/world'

/** The profile answers the walkthrough shows, imported from G8133UA's alerts. */
const expectedAnswers = [
  [
    'Any other risks',
    'lAzCdJPxAuYiYJlAzCdJPxAuYiYJ',
    '2014-10-17',
    '2015-11-04',
    walkthroughIds.otherRisks,
    'risk',
    'other_risks',
    'P',
    'P0',
    'MAPPP Case',
    'MAPPA Nominal',
  ],
  [
    'Violent',
    null,
    '2015-02-22',
    null,
    walkthroughIds.violent,
    'risk',
    'violent',
    'R',
    'ROM',
    'Risk',
    'OASys Serious Harm-Medium',
  ],
  [
    'Violent',
    'HRErJMfhUuLHisGPkEhGRpvHSvjfHHRErJMfhUuLHisGPkEhGRpvHSvjfH',
    '2017-02-03',
    null,
    walkthroughIds.violent,
    'risk',
    'violent',
    'P',
    'PC2',
    'MAPPP Case',
    'MAPPA Cat 2',
  ],
  [
    'Health issue',
    null,
    '2014-07-28',
    null,
    walkthroughIds.healthIssue,
    'health',
    'health_issue',
    'DISAB',
    'ND',
    'Unknown',
    'No Disability',
  ],
  [
    'Health issue',
    null,
    '2014-07-31',
    null,
    walkthroughIds.healthIssue,
    'health',
    'health_issue',
    'DISAB',
    'ND',
    'Unknown',
    'No Disability',
  ],
  [
    'Health issue',
    null,
    '2014-10-16',
    null,
    walkthroughIds.healthIssue,
    'health',
    'health_issue',
    'DISAB',
    'ND',
    'Unknown',
    'No Disability',
  ],
].map(
  ([
    title,
    comments,
    created_at,
    expires_at,
    assessment_question_id,
    category,
    key,
    type,
    code,
    typeDescription,
    description,
  ]) => ({
    title,
    comments,
    created_at,
    expires_at,
    assessment_question_id,
    category,
    key,
    nomis_alert_type: type,
    nomis_alert_code: code,
    nomis_alert_type_description: typeDescription,
    nomis_alert_description: description,
    imported_from_nomis: true,
  }),
)

const moveAttributes = [
  'additional_information',
  'cancellation_reason',
  'cancellation_reason_comment',
  'created_at',
  'date',
  'date_from',
  'date_to',
  'move_agreed',
  'move_agreed_by',
  'move_type',
  'reference',
  'rejection_reason',
  'status',
  'time_due',
  'updated_at',
]

describe('Book a Secure Move: the 6.2 IPT allocation walkthrough (seed 001)', () => {
  let world: World
  let services: Services
  let app: Express
  let frontend: TestClient
  let supplier: TestClient

  before(async () => {
    world = await testWorld()
    ;({ services, app, frontend } = world)
    supplier = world.geoamey
  })

  /** A request exactly as the walkthrough's curl sends it. */
  function curl(method: 'get' | 'post' | 'patch', url: string, client: TestClient, key?: string, body?: unknown) {
    let test = supertest(app)[method](url).set('accept', V2).set('authorization', `Bearer ${client.token}`)
    if (body !== undefined) test = test.set('content-type', 'application/json')
    if (key) test = test.set('idempotency-key', key)
    return body === undefined ? test : test.send(JSON.stringify(body))
  }

  const allocationStatus = async (id: string) =>
    (await curl('get', `/api/allocations/${id}`, frontend).expect(200)).body.data.attributes.status
  const moveStatus = async (id: string) =>
    (await curl('get', `/api/moves/${id}`, supplier).expect(200)).body.data.attributes.status

  it('runs request for request: allocation unfilled -> filled, each move requested -> booked -> in_transit -> completed', async () => {
    // [FRONTEND] create an allocation for 2 people
    const created = await curl('post', '/api/allocations', frontend, 'fe6050e5-ae32-4ed2-b2a7-fe6e3eb2c239', {
      data: {
        type: 'allocations',
        attributes: {
          moves_count: 2,
          estate: 'adult_male',
          estate_comment: 'Another estate description',
          prisoner_category: 'b',
          sentence_length: 'short',
          other_criteria: 'curly hair',
          requested_by: 'Iama Requestor',
          complete_in_full: true,
          date: '2020-07-22',
          complex_cases: [
            {
              key: 'hold_separately',
              title: 'Segregated prisoners',
              answer: true,
              allocation_complex_case_id: '8952537a-ecf7-4e25-93d1-2ad67651ad99',
            },
          ],
        },
        relationships: {
          from_location: { data: { type: 'locations', id: '067c2855-fa41-493d-9c80-1311a4f7ba45' } },
          to_location: { data: { type: 'locations', id: '056eed18-772b-45b3-b64a-4d7d563641f7' } },
        },
      },
    }).expect(201)
    const allocation = created.body.data
    expect(allocation.type).to.equal('allocations')
    expect(allocation.attributes).to.include({
      moves_count: 2,
      status: 'unfilled',
      date: '2020-07-22',
      estate: 'adult_male',
      prisoner_category: 'b',
      sentence_length: 'short',
      complete_in_full: true,
    })
    expect(allocation.meta.moves).to.deep.equal({ total: 2, filled: 0, unfilled: 2 })
    const [move1, move2] = (allocation.relationships.moves.data as { id: string }[]).map(m => m.id) as [string, string]
    expect(allocation.relationships.moves.data).to.have.length(2)
    expect(await moveStatus(move1)).to.equal('requested')
    expect(await moveStatus(move2)).to.equal('requested')

    // [FRONTEND] find person by prison number
    const found = await curl('get', '/api/people?filter%5Bprison_number%5D=G8133UA', frontend).expect(200)
    expect(found.body.data).to.have.length(1)
    const person = found.body.data[0]
    expect(person.type).to.equal('people')
    expect(person.attributes).to.deep.equal({
      first_names: 'DOMSANIGH',
      last_name: 'CASEDY',
      date_of_birth: '1995-11-17',
      gender_additional_information: null,
      prison_number: 'G8133UA',
      criminal_records_office: '351774/14D',
      police_national_computer: '14/120018R',
    })
    expect(person.relationships.ethnicity.data).to.deep.equal({ type: 'ethnicities', id: walkthroughIds.ethnicityW1 })
    expect(person.relationships.gender.data).to.deep.equal({ type: 'genders', id: walkthroughIds.genderMale })

    // [FRONTEND] create a new profile for person1 and for person2, synchronised with the alerts
    const profiles: string[] = []
    for (const key of ['736916a9-adfc-4442-bb4e-f2c71dbd7b11', '73d506c2-da22-48fb-b065-fb525360bec5']) {
      const profile = await curl('post', `/api/people/${person.id}/profiles`, frontend, key, {
        data: { type: 'profiles' },
      }).expect(201)
      expect(profile.body.data.type).to.equal('profiles')
      expect(profile.body.data.attributes.assessment_answers).to.deep.equal(expectedAnswers)
      expect(profile.body.data.relationships).to.deep.equal({
        person: { data: { type: 'people', id: person.id } },
        documents: { data: [] },
      })
      profiles.push(profile.body.data.id)
    }

    // [FRONTEND] set move1 to profile1, then move2 to profile2
    const assignments: [string, string, string][] = [
      [move1, profiles[0]!, '419b5459-d88e-4e5c-ac14-0dc124ff26e9'],
      [move2, profiles[1]!, 'e3f034de-cc14-496b-9ede-47ff6b04a95b'],
    ]
    for (const [index, [moveId, profileId, key]] of assignments.entries()) {
      const patched = await curl('patch', `/api/moves/${moveId}`, frontend, key, {
        data: {
          id: moveId,
          type: 'moves',
          attributes: {},
          relationships: { profile: { data: { type: 'profiles', id: profileId } } },
        },
      }).expect(200)
      expect(patched.body.data.relationships.profile.data).to.deep.equal({ type: 'profiles', id: profileId })
      expect(await allocationStatus(allocation.id)).to.equal(index === 0 ? 'unfilled' : 'filled')
    }

    // The supplier lists the requested moves of allocations on the date
    const listed = await curl(
      'get',
      '/api/moves?filter%5Bdate_from%5D=2020-07-22&filter%5Bdate_to%5D=2020-07-22&filter%5Bhas_relationship_to_allocation%5D=true&include=profile.person%2Cfrom_location%2Cto_location',
      supplier,
    ).expect(200)
    expect(listed.body.data.map((m: { id: string }) => m.id)).to.have.members([move1, move2])
    for (const move of listed.body.data) {
      expect(move.type).to.equal('moves')
      expect(move.attributes).to.include.all.keys(moveAttributes)
      expect(move.attributes).to.include({ date: '2020-07-22', move_type: 'prison_transfer', status: 'requested' })
      expect(move.attributes.reference).to.match(/^[ACEFHJKMNPRTUVWXY]{3}[1-9]{4}[ACEFHJKMNPRTUVWXY]$/)
      expect(move.relationships).to.include.all.keys(
        'profile',
        'from_location',
        'to_location',
        'prison_transfer_reason',
        'court_hearings',
        'allocation',
        'original_move',
      )
      expect(move.relationships.from_location.data).to.deep.equal({ type: 'locations', id: walkthroughIds.brinsford })
      expect(move.relationships.to_location.data).to.deep.equal({ type: 'locations', id: walkthroughIds.isleOfWight })
      expect(move.relationships.allocation.data).to.deep.equal({ type: 'allocations', id: allocation.id })
      expect(move.relationships.prison_transfer_reason.data).to.equal(null)
      expect(move.relationships.court_hearings.data).to.deep.equal([])
      expect(move.relationships.original_move.data).to.equal(null)
    }
    const included = listed.body.included as { type: string; id: string; attributes: Record<string, unknown> }[]
    expect(included.filter(r => r.type === 'profiles').map(r => r.id)).to.have.members(profiles)
    expect(included.filter(r => r.type === 'people').map(r => r.id)).to.deep.equal([person.id])
    expect(included.filter(r => r.type === 'locations').map(r => r.id)).to.have.members([
      walkthroughIds.brinsford,
      walkthroughIds.isleOfWight,
    ])
    const brinsford = included.find(r => r.id === walkthroughIds.brinsford)!
    expect(brinsford.attributes).to.include({
      key: 'bsi',
      title: 'BRINSFORD (HMP)',
      location_type: 'prison',
      nomis_agency_id: 'BSI',
    })
    const self =
      '/api/moves?filter%5Bdate_from%5D=2020-07-22&filter%5Bdate_to%5D=2020-07-22&filter%5Bhas_relationship_to_allocation%5D=true&include=profile.person%2Cfrom_location%2Cto_location'
    expect(listed.body.links.self).to.match(
      new RegExp(`^http://[^/]+${escape(self)}&page%5Bnumber%5D=1&page%5Bsize%5D=20$`),
    )
    expect(listed.body.links).to.include({ prev: null, next: null })
    expect(listed.body.meta.pagination).to.deep.equal({
      per_page: 20,
      total_pages: 1,
      total_objects: 2,
      links: { first: `${self}&page=1`, last: `${self}&page=1` },
    })

    // accept, start and complete each move: 204 each time
    const events: [string, string, Record<string, string>, string, string][] = [
      ['accept', 'accepts', { timestamp: '2020-07-20T10:47:51.589Z' }, 'e7b6e6bc-a573-441f-9e3d-e76c15673bd4', move1],
      ['accept', 'accepts', { timestamp: '2020-07-20T10:48:03.770Z' }, 'b2feae93-fb3d-46e4-93be-8e48908c4308', move2],
      [
        'start',
        'starts',
        { timestamp: '2020-07-20T11:01:59.920Z', notes: 'van on the way for person1' },
        '648026af-e5af-4ddd-a907-5c252e543e99',
        move1,
      ],
      [
        'start',
        'starts',
        { timestamp: '2020-07-20T11:02:26.639Z', notes: 'van on the way for person2' },
        '5d489e39-a99a-4fac-b2e1-5321ca688e40',
        move2,
      ],
      [
        'complete',
        'completes',
        { timestamp: '2020-07-20T11:06:58.724Z', notes: 'all is well' },
        'e5eac82b-4b61-44b6-8144-cff3b524c03c',
        move1,
      ],
      [
        'complete',
        'completes',
        { timestamp: '2020-07-20T11:07:11.132Z', notes: 'all is well' },
        '95485e86-f556-48a4-b2a4-8f96834c1b7f',
        move2,
      ],
    ]
    const after: Record<string, string> = { accept: 'booked', start: 'in_transit', complete: 'completed' }
    for (const [path, type, attributes, key, moveId] of events) {
      const res = await curl('post', `/api/moves/${moveId}/${path}`, supplier, key, {
        data: { type, attributes },
      }).expect(204)
      expect(res.text).to.equal('')
      expect(await moveStatus(moveId)).to.equal(after[path])
    }

    const timeline = await services.db('move_events').where({ move_id: move1 }).orderBy('id')
    expect(timeline.map(e => [e.event_type, e.to_status])).to.deep.equal([
      ['MoveRequested', 'requested'],
      // The PATCH that assigned person1's profile records what it changed.
      ['MoveUpdate', 'requested'],
      ['MoveAccept', 'booked'],
      ['MoveStart', 'in_transit'],
      ['MoveComplete', 'completed'],
    ])
    expect(timeline[1].details).to.include({ old_profile_id: null })
    expect(timeline[3].notes).to.equal('van on the way for person1')
    expect(new Date(timeline[2].occurred_at).toISOString()).to.equal('2020-07-20T10:47:51.589Z')
    expect(await allocationStatus(allocation.id)).to.equal('filled')
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

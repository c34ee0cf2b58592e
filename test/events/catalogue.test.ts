import { expect } from 'chai'
import {
  EVENT_TYPES,
  FAMILY_COUNTS,
  POSTABLE_EVENT_TYPES,
  eventTypeSpec,
  type EventFamily,
} from '../../lib/events/catalogue'

/** The catalogue against the reference's own counts and rules (events-assessments.md §1.6, §1.9). */
describe('Events: the catalogue of event types', () => {
  it('when the catalogue is read, then it holds 92 distinct types', () => {
    expect(new Set(EVENT_TYPES.map(spec => spec.eventType)).size).to.equal(92)
    expect(EVENT_TYPES).to.have.length(92)
  })

  it("when the types are counted by family, then each family has the reference's count", () => {
    const counts: Record<string, number> = {}
    for (const spec of EVENT_TYPES) counts[spec.family] = (counts[spec.family] ?? 0) + 1
    expect(counts).to.deep.equal({
      journey: 20,
      move: 24,
      person_move: 13,
      person_escort_record: 32,
      lodging: 3,
    } satisfies Record<EventFamily, number>)
    expect(counts).to.deep.equal(FAMILY_COUNTS)
  })

  it('when a type is looked up by name, then its spec is found, and an unknown name finds nothing', () => {
    expect(eventTypeSpec('PerMedicalAid')).to.include({ family: 'person_escort_record', classification: 'medical' })
    expect(eventTypeSpec('MoveUpdate')).to.equal(undefined)
  })

  it('when the lodging events are asked for, then they alone are server-written and not postable', () => {
    expect(EVENT_TYPES.filter(s => s.serverWrittenOnly).map(s => s.eventType)).to.deep.equal([
      'LodgingCreate',
      'LodgingUpdate',
      'LodgingCancel',
    ])
    expect(POSTABLE_EVENT_TYPES).to.have.length(89)
  })

  it("when the important types are listed, then they are the reference's classes and four named types", () => {
    const important = EVENT_TYPES.filter(s => s.important)
    const byType = important.filter(s => s.classification === 'default').map(s => s.eventType)
    expect(byType).to.have.members(['MoveLodgingStart', 'MoveLodgingEnd', 'PerHandover', 'PerPropertyChange'])
    // Ten person-move incidents, five PER incidents, four medical, one self-harm, and the four by name.
    expect(important).to.have.length(10 + 5 + 4 + 1 + 4)
  })

  it('when a spec names a rule, then every member it names is a declared detail or relationship', () => {
    for (const spec of EVENT_TYPES) {
      const details = spec.details.map(d => d.name)
      const relationships = spec.relationships.map(r => r.name)
      for (const rule of spec.rules ?? []) {
        const members = rule.rule === 'exactlyOne' ? rule.members.map(detail => ({ detail })) : rule.members
        for (const member of members) {
          if ('detail' in member) expect(details, spec.eventType).to.include(member.detail)
          else expect(relationships, spec.eventType).to.include(member.relationship)
        }
      }
      expect(new Set(details).size, spec.eventType).to.equal(details.length)
    }
  })

  it('when an incident type is read, then fault_classification is required from suppliers only', () => {
    const incidents = EVENT_TYPES.filter(s => s.family === 'person_move' && s.classification === 'incident')
    expect(incidents).to.have.length(10)
    for (const spec of incidents) {
      expect(spec.details.find(d => d.name === 'fault_classification')).to.include({
        required: false,
        requiredFromSuppliers: true,
      })
    }
  })
})

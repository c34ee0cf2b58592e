/**
 * `POST /api/events` bodies for every event type of the catalogue (lib/events/catalogue.ts), valid by
 * openapi.yaml (EventCreate), and the ways to spoil each one that the contract must refuse. The
 * table-driven event tests take both from here rather than writing 92 bodies by hand.
 */

import {
  eventTypeSpec,
  type EventableType,
  type EventDetailSpec,
  type EventRelationshipName,
  type EventTypeSpec,
} from '../../lib/events/catalogue'
import { attr, rel, type RefusedCase } from '../contract/bodies'
import { EVENT_TIMESTAMP, ref } from './bodies'

/**
 * The ids a body names. `location` stands for every location relationship unless `locations` names
 * one of its own (a redirect's `to_location` must suit the move's type). `previousMove` defaults to
 * `move`. Missing eventables (`per` before person escort records exist) default to a fresh UUID-shaped
 * id, which the contract takes and the service answers 404 for.
 */
export type EventRefs = {
  move: string
  journey?: string
  per?: string
  person?: string
  location: string
  locations?: Partial<Record<EventRelationshipName, string>>
  previousMove?: string
}

/** An id of the right shape that names nothing. */
const NOBODY = '00000000-0000-4000-8000-000000000000'

/** A valid value of each member, by name where the name says more than the type. */
function sampleValue(detail: EventDetailSpec): unknown {
  switch (detail.type) {
    case 'strings':
      return ['S1234']
    case 'boolean':
      return false
    case 'object':
      return {}
    case 'date':
      return '2031-01-02'
    case 'date-time':
      return EVENT_TIMESTAMP
    case 'postcode':
      return 'SW1A 1AA'
    case 'enum':
      if (detail.sharedEnum === 'CancellationReason') return 'made_in_error'
      if (detail.sharedEnum === 'MoveType') return 'prison_transfer'
      return detail.values![0]
    case 'string': {
      const named: Record<string, string> = {
        vehicle_reg: 'AB12 CDE',
        previous_vehicle_reg: 'XY98 ZYX',
        supplier_personnel_number: 'S1234',
        police_personnel_number: 'P5678',
        court_cell_number: '7',
      }
      return named[detail.name] ?? `${detail.name.replace(/_/g, ' ')} as recorded`
    }
  }
}

function specOf(eventType: string): EventTypeSpec {
  const spec = eventTypeSpec(eventType)
  if (!spec) throw new Error(`no event type ${eventType} in the catalogue`)
  return spec
}

/**
 * The members a rule leaves out of a valid body: the second of an exactly-one pair (the police
 * number), and all but the first of an at-least-one set, so that removing that one member leaves the
 * rule unmet.
 */
function leftOut(spec: EventTypeSpec): Set<string> {
  const names = (spec.rules ?? []).flatMap(rule =>
    rule.rule === 'exactlyOne'
      ? [rule.members[1]]
      : rule.members.slice(1).map(m => ('detail' in m ? m.detail : m.relationship)),
  )
  return new Set(names)
}

const eventableId = (type: EventableType, refs: EventRefs): string =>
  ({
    moves: refs.move,
    journeys: refs.journey,
    person_escort_records: refs.per,
    people: refs.person,
    lodgings: undefined,
  })[type] ?? NOBODY

/**
 * A valid `POST /api/events` body for `eventType`: its required details and relationships, and, unless
 * `minimal`, its optional ones too (save those a rule leaves out: the police number of a pair, the
 * second way of naming a place or a move). The eventable is the type's usual one unless `eventable` says.
 */
export function validEventBody(
  eventType: string,
  refs: EventRefs,
  options: { minimal?: boolean; eventable?: EventableType; notes?: string } = {},
) {
  const spec = specOf(eventType)
  const skip = leftOut(spec)
  const kept = <T extends { name: string; required: boolean }>(members: readonly T[]) =>
    members.filter(m => !skip.has(m.name) && (m.required || !options.minimal || isRuleFirst(spec, m.name)))
  const eventable = options.eventable ?? spec.eventables[0]!
  const details = Object.fromEntries(kept(spec.details).map(d => [d.name, sampleValue(d)]))
  const relationships = Object.fromEntries(
    kept(spec.relationships).map(r => [
      r.name,
      r.type === 'moves'
        ? ref('moves', refs.previousMove ?? refs.move)
        : ref('locations', refs.locations?.[r.name] ?? refs.location),
    ]),
  )
  return {
    data: {
      type: 'events',
      attributes: {
        event_type: eventType,
        occurred_at: EVENT_TIMESTAMP,
        recorded_at: EVENT_TIMESTAMP,
        ...(options.notes === undefined ? {} : { notes: options.notes }),
        details,
      },
      relationships: { eventable: ref(eventable, eventableId(eventable, refs)), ...relationships },
    },
  }
}

/** Whether `name` is the member a rule needs when the others are absent (kept even in a minimal body). */
function isRuleFirst(spec: EventTypeSpec, name: string): boolean {
  return (spec.rules ?? []).some(rule => {
    const first = rule.members[0]!
    return (typeof first === 'string' ? first : 'detail' in first ? first.detail : first.relationship) === name
  })
}

const detail = (name: string) => attr('details', name)

/** A value of the wrong kind for a member, and what to call it. */
function wrongValues(d: EventDetailSpec): { what: string; value: unknown }[] {
  switch (d.type) {
    case 'enum':
      return [{ what: 'not one of its values', value: 'not_a_value' }]
    case 'date-time':
      return [{ what: 'not a date-time', value: 'yesterday' }]
    case 'date':
      return [{ what: 'not a date', value: '2031-02-30' }]
    case 'postcode':
      return [{ what: 'not a UK postcode', value: 'NOT A POSTCODE' }]
    case 'boolean':
      return [{ what: 'a word', value: 'yes' }]
    case 'strings':
      return [{ what: 'a number', value: 5 }]
    case 'string':
      return d.required ? [{ what: 'blank', value: '' }] : [{ what: 'a number', value: 5 }]
    case 'object':
      return [{ what: 'a word', value: 'everyone' }]
  }
}

/**
 * The ways the contract must refuse a body of `eventType` (each a one-member change of the full
 * {@link validEventBody}, with the pointer the 422 names): each required details member or
 * relationship removed, each member of the wrong kind or outside its values, a personnel pair with
 * both or neither, an at-least-one set with none, and an eventable the type does not take.
 */
export function refusedEventBodies(eventType: string): RefusedCase[] {
  const spec = specOf(eventType)
  const skip = leftOut(spec)
  const cases: RefusedCase[] = []
  for (const d of spec.details.filter(d => d.required)) {
    cases.push({ when: `${eventType} lacks details.${d.name}`, path: detail(d.name), value: undefined })
  }
  for (const r of spec.relationships.filter(r => r.required)) {
    cases.push({ when: `${eventType} lacks its ${r.name}`, path: rel(r.name), value: undefined })
  }
  for (const rule of spec.rules ?? []) {
    if (rule.rule === 'exactlyOne') {
      const [first, second] = rule.members
      cases.push({ when: `${eventType} has neither ${first} nor ${second}`, path: detail(first), value: undefined })
      const both = spec.details.find(d => d.name === second)!
      cases.push({
        when: `${eventType} has both ${first} and ${second}`,
        path: detail(second),
        value: sampleValue(both),
      })
    } else {
      const first = rule.members[0]!
      const path = 'detail' in first ? detail(first.detail) : rel(first.relationship)
      const names = rule.members.map(m => ('detail' in m ? m.detail : m.relationship))
      cases.push({ when: `${eventType} has none of ${names.join(', ')}`, path, value: undefined })
    }
  }
  for (const d of spec.details.filter(d => !skip.has(d.name))) {
    for (const wrong of wrongValues(d)) {
      cases.push({
        when: `${eventType}'s details.${d.name} is ${wrong.what}`,
        path: detail(d.name),
        value: wrong.value,
      })
    }
  }
  const foreign = (['moves', 'journeys', 'person_escort_records'] as const).find(t => !spec.eventables.includes(t))
  if (foreign) {
    cases.push({
      when: `${eventType}'s eventable is ${foreign}`,
      path: rel('eventable', 'data', 'type'),
      value: foreign,
    })
  }
  return cases
}

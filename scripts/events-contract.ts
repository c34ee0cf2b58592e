import fs from 'node:fs'
import path from 'node:path'
import prettier from 'prettier'
import YAML from 'yaml'
import {
  EVENT_TYPES,
  POSTABLE_EVENT_TYPES,
  POSTABLE_EVENTABLE_TYPES,
  type EventDetailSpec,
  type EventMember,
  type EventRule,
  type EventTypeSpec,
} from '../lib/events/catalogue'

/**
 * Writes the events contract into openapi.yaml from the catalogue (lib/events/catalogue.ts), so the
 * 92 types have one source: the `POST /api/events` body (`EventCreate`), which picks each type's
 * `details` schema (`EventDetails<Type>`) and required relationships by `event_type`, one `if`/`then`
 * per type. Each refusal names its member: a missing `vehicle_reg` is 422 at
 * `/data/attributes/details/vehicle_reg`. The schemas sit between the two marker lines in
 * `components.schemas`; the rest of openapi.yaml is left as it is.
 *
 * `npm run contract:events` rewrites the block (then run `npm run contract:types`);
 * `npm run contract:events -- --check` exits 1 when the block differs from the catalogue.
 */

export const BEGIN_MARKER =
  '    # BEGIN events contract, generated from lib/events/catalogue.ts by scripts/events-contract.ts'
export const END_MARKER = '    # END events contract'

type Schema = Record<string, unknown>

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` })
export const detailsSchemaName = (eventType: string) => `EventDetails${eventType}`

/** The names a rule declares present (any of them) or needed, for the members that must not be null. */
const ruleMembers = (rule: EventRule): EventMember[] =>
  rule.rule === 'exactlyOne' ? rule.members.map(detail => ({ detail })) : [...rule.members]

/**
 * The longest `notes` or text detail an event keeps, in characters: the same bound as a person escort
 * record's text answers, so that one post cannot store megabytes on a move's timeline.
 */
const EVENT_TEXT_LIMIT = 10_000

/**
 * One `details` member's schema. A required member, or one a rule counts as given, is not blank (the
 * reference's presence check); other members also take null.
 */
function memberSchema(detail: EventDetailSpec, ruled: boolean): Schema {
  const nullable = !detail.required && !ruled
  const orNull = (type: string) => (nullable ? [type, 'null'] : type)
  const text = { ...(nullable ? {} : { minLength: 1 }), maxLength: EVENT_TEXT_LIMIT }
  switch (detail.type) {
    case 'string':
      return { type: orNull('string'), ...text }
    case 'strings':
      return {
        type: orNull('array'),
        items: { type: 'string', minLength: 1, maxLength: 100 },
        minItems: 1,
        maxItems: 100,
        description: 'One or more personnel numbers.',
      }
    case 'boolean':
      return { type: orNull('boolean') }
    case 'object':
      return { type: orNull('object') }
    case 'date':
      return { type: orNull('string'), format: 'date', description: 'ISO 8601 date (YYYY-MM-DD).' }
    case 'date-time':
      return { type: orNull('string'), format: 'date-time', description: 'ISO 8601 date-time with an offset.' }
    case 'postcode':
      return { type: orNull('string'), format: 'uk-postcode', description: 'A UK postcode, such as SW1A 1AA.' }
    case 'enum': {
      // Never null: an `anyOf` with null would answer three messages for one wrong value.
      if (detail.sharedEnum) return ref(detail.sharedEnum)
      return { type: orNull('string'), enum: nullable ? [...detail.values!, null] : [...detail.values!] }
    }
  }
}

/** `{ detail }` present in `data` (for a rule that mixes details and relationships). */
function presentInData(member: EventMember): Schema {
  if ('relationship' in member) {
    return { required: ['relationships'], properties: { relationships: { required: [member.relationship] } } }
  }
  return {
    required: ['attributes'],
    properties: { attributes: { required: ['details'], properties: { details: { required: [member.detail] } } } },
  }
}

/** The rule as a schema over `details` (when it names only details) or over `data` (when it also names relationships). */
function ruleSchema(rule: EventRule, over: 'details' | 'data'): Schema[] {
  const present = (member: EventMember): Schema =>
    over === 'data' ? presentInData(member) : { required: [(member as { detail: string }).detail] }
  const [first, ...others] = ruleMembers(rule)
  if (rule.rule === 'exactlyOne') {
    const [supplier, police] = rule.members
    return [
      // Both given: refused at the second; neither: at the first (the reference's PersonnelNumberValidations).
      { if: { required: [supplier] }, then: { properties: { [police]: { not: {} } } } },
      { if: { required: [police] }, else: { required: [supplier] } },
    ]
  }
  return [{ if: { anyOf: others.map(present) }, else: present(first!) }]
}

const onlyDetails = (rule: EventRule) => ruleMembers(rule).every(member => 'detail' in member)

function describeRule(rule: EventRule): string {
  const names = ruleMembers(rule).map(m => ('detail' in m ? m.detail : `the ${m.relationship} relationship`))
  return rule.rule === 'exactlyOne' ? `Exactly one of ${names.join(' and ')}.` : `At least one of ${names.join(', ')}.`
}

function describeType(spec: EventTypeSpec): string {
  const lines = [
    `${spec.eventType}: a ${spec.family.replace(/_/g, '-')} event on ${spec.eventables.join(' or ')}, classification ${spec.classification}.`,
  ]
  const relationships = spec.relationships.map(r => `${r.name} (${r.type}${r.required ? ', required' : ''})`)
  if (relationships.length) lines.push(`Relationships: ${relationships.join(', ')}.`)
  for (const rule of spec.rules ?? []) lines.push(describeRule(rule))
  const suppliers = spec.details.filter(d => d.requiredFromSuppliers).map(d => d.name)
  if (suppliers.length) lines.push(`Required when a supplier posts: ${suppliers.join(', ')}.`)
  if (spec.serverWrittenOnly) lines.push('Written by the lodging routes alone: POST /api/events refuses it.')
  else if (spec.automatic) lines.push('The service also writes it itself.')
  if (spec.machine)
    lines.push(`Sends the ${spec.machine.machine} machine's \`${spec.machine.event}\` (409 when not allowed).`)
  if (spec.sets?.length) lines.push(`Sets ${spec.sets.join(', ')}.`)
  if (spec.moveMeta) lines.push(`The latest one gives the move's meta.${spec.moveMeta}.`)
  if (spec.storedAs) lines.push(`Stored as ${spec.storedAs}.`)
  if (spec.important) lines.push("Listed in the move's important_events.")
  lines.push('Other members are ignored, and the answer names them.')
  return lines.join('\n')
}

/** `EventDetails<Type>`: the members the type keeps, what each takes, and the rules across them. */
export function detailsSchema(spec: EventTypeSpec): Schema {
  const ruled = new Set((spec.rules ?? []).flatMap(ruleMembers).flatMap(m => ('detail' in m ? [m.detail] : [])))
  const requiredNames = spec.details.filter(d => d.required).map(d => d.name)
  const rules = (spec.rules ?? []).filter(onlyDetails).flatMap(rule => ruleSchema(rule, 'details'))
  return {
    type: 'object',
    description: describeType(spec),
    ...(requiredNames.length ? { required: requiredNames } : {}),
    properties: Object.fromEntries(spec.details.map(d => [d.name, memberSchema(d, ruled.has(d.name))])),
    ...(rules.length ? { allOf: rules } : {}),
  }
}

/** What `data` must hold when `event_type` is the spec's: its details, its relationships, its eventable type. */
function whenType(spec: EventTypeSpec): Schema {
  const needsDetails = spec.details.some(d => d.required) || (spec.rules ?? []).some(rule => onlyDetails(rule))
  const requiredRelationships = spec.relationships.filter(r => r.required).map(r => r.name)
  const mixed = (spec.rules ?? []).filter(rule => !onlyDetails(rule)).flatMap(rule => ruleSchema(rule, 'data'))
  return {
    if: {
      required: ['attributes'],
      properties: { attributes: { required: ['event_type'], properties: { event_type: { const: spec.eventType } } } },
    },
    then: {
      properties: {
        attributes: {
          ...(needsDetails ? { required: ['details'] } : {}),
          properties: { details: ref(detailsSchemaName(spec.eventType)) },
        },
        relationships: {
          required: ['eventable', ...requiredRelationships],
          properties: { eventable: { properties: { data: { properties: { type: { enum: [...spec.eventables] } } } } } },
        },
      },
      ...(mixed.length ? { allOf: mixed } : {}),
    },
  }
}

const locationRelationship = ref('RequiredLocation')

/** A to-one relationship in a request body to a resource of one of `types`, by its UUID. */
const relationshipTo = (types: readonly string[]): Schema => ({
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      type: 'object',
      required: ['type', 'id'],
      properties: { type: { type: 'string', enum: [...types] }, id: ref('Uuid') },
    },
  },
})

/** `EventCreate`: the `POST /api/events` body. */
function createSchema(): Schema {
  return {
    type: 'object',
    required: ['data'],
    description: [
      'A new event. `event_type` picks the schema of `details` (EventDetails<event_type>) and the relationships',
      'the type needs; members of `details` the type does not keep are ignored, and the answer names them in',
      '`meta`. The eventable must exist (404 otherwise) and the locations or move named too (422 at the',
      'relationship otherwise), and a supplier may post only to what it supplies.',
    ].join('\n'),
    properties: {
      data: {
        type: 'object',
        required: ['type', 'attributes', 'relationships'],
        properties: {
          type: { type: 'string', description: '`events`; another type is 409.' },
          attributes: {
            type: 'object',
            required: ['event_type', 'occurred_at', 'recorded_at'],
            properties: {
              event_type: ref('EventTypeName'),
              occurred_at: ref('Timestamp'),
              recorded_at: ref('Timestamp'),
              notes: { type: ['string', 'null'], maxLength: EVENT_TEXT_LIMIT },
              details: { type: 'object' },
            },
          },
          relationships: {
            type: 'object',
            required: ['eventable'],
            properties: {
              eventable: ref('EventableRelationship'),
              location: locationRelationship,
              from_location: locationRelationship,
              to_location: locationRelationship,
              court_location: locationRelationship,
              previous_move: relationshipTo(['moves']),
            },
          },
        },
        allOf: POSTABLE_EVENT_TYPES.map(whenType),
      },
    },
  }
}

/** Every schema the block holds, by name. */
export function eventsContract(): Record<string, Schema> {
  return {
    EventTypeName: {
      type: 'string',
      description:
        "The event types POST /api/events takes: the reference's 92 less the three lodging events, which the lodging routes write.",
      enum: POSTABLE_EVENT_TYPES.map(spec => spec.eventType),
      'x-error-message':
        "event_type must be one of the reference's event types (EventTypeName); the lodging events are the lodging routes'",
    },
    EventableRelationship: relationshipTo(POSTABLE_EVENTABLE_TYPES),
    EventCreate: createSchema(),
    ...Object.fromEntries(EVENT_TYPES.map(spec => [detailsSchemaName(spec.eventType), detailsSchema(spec)])),
  }
}

const openapiFile = path.join(__dirname, '..', 'openapi.yaml')

/** openapi.yaml with the block between the markers rewritten from the catalogue, formatted as the repository formats it. */
export async function generatedOpenApi(current: string): Promise<string> {
  const start = current.indexOf(`${BEGIN_MARKER}\n`)
  const end = current.indexOf(`${END_MARKER}\n`)
  if (start < 0 || end < start) throw new Error('openapi.yaml: the events contract markers are missing')
  const document = new YAML.Document(eventsContract(), { aliasDuplicateObjects: false })
  // Lists of names on one line (prettier folds the long ones), to keep the 92 types' block readable.
  YAML.visit(document, {
    Seq: (_, seq) => {
      if (seq.items.every(item => YAML.isScalar(item))) seq.flow = true
    },
  })
  const block = document
    .toString({ lineWidth: 0, singleQuote: true })
    .trimEnd()
    .split('\n')
    .map(line => `    ${line}`)
    .join('\n')
  const text = `${current.slice(0, start)}${BEGIN_MARKER}\n${block}\n${current.slice(end)}`
  const options = await prettier.resolveConfig(openapiFile)
  return prettier.format(text, { ...options, filepath: openapiFile })
}

async function main(): Promise<void> {
  const current = fs.readFileSync(openapiFile, 'utf8')
  const next = await generatedOpenApi(current)
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error("openapi.yaml: the events contract is not the catalogue's; run npm run contract:events")
      process.exit(1)
    }
    return
  }
  fs.writeFileSync(openapiFile, next)
}

if (require.main === module) void main()

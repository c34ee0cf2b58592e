import type { Tx } from '../db/client'
import {
  serialize as serializeWith,
  type DocumentOptions,
  type ResourceMap,
  type SerializeContext,
} from './jsonapi/document'
import {
  allocationResource,
  eventResource,
  journeyResource,
  lodgingResource,
  moveResourceV1,
  moveResourceV2,
  personResourceV1,
  personResourceV2,
  profileResource,
} from './moves/resources'
import { documentResource } from './documents/resources'
import { populationResource } from './populations/resources'
import { assessmentResources } from './assessments/resources'
import { notificationResource, subscriptionResource } from './notifications/resources'
import {
  courtCaseResource,
  courtHearingResource,
  extraditionFlightResource,
  personImageResource,
  timetableEntryResource,
} from './moves/courtResources'
import { categoryResource, identifierTypeResource, regionResource } from './reference/regionResources'
import {
  frameworkFlagResource,
  frameworkQuestionResource,
  frameworkResource,
  locationResource,
  referenceListResources,
  supplierResource,
} from './reference/resources'

/** The resource types both versions serve alike. */
const shared = {
  ...referenceListResources,
  ...assessmentResources,
  locations: locationResource,
  suppliers: supplierResource,
  frameworks: frameworkResource,
  framework_questions: frameworkQuestionResource,
  framework_flags: frameworkFlagResource,
  profiles: profileResource,
  allocations: allocationResource,
  events: eventResource,
  journeys: journeyResource,
  lodgings: lodgingResource,
  notifications: notificationResource,
  subscriptions: subscriptionResource,
  court_hearings: courtHearingResource,
  extradition_flight: extraditionFlightResource,
  images: personImageResource,
  court_cases: courtCaseResource,
  timetable_entries: timetableEntryResource,
  regions: regionResource,
  categories: categoryResource,
  identifier_types: identifierTypeResource,
  documents: documentResource,
  populations: populationResource,
}

/**
 * Every resource type /api serves, per API version (negotiated from Accept). Version 1 moves link
 * to a person who carries assessment answers; version 2 moves link to a profile.
 */
export const resources = {
  1: { ...shared, moves: moveResourceV1, people: personResourceV1 },
  2: { ...shared, moves: moveResourceV2, people: personResourceV2 },
} satisfies Record<number, ResourceMap>

export type ResourceType = keyof (typeof resources)[2]

/** A JSON:API document of `type` rows, in the request's API version (see api/jsonapi/document.ts). */
export function serialize(
  tx: Tx,
  type: ResourceType,
  data: unknown[] | unknown | null,
  ctx: SerializeContext,
  options?: DocumentOptions,
): Promise<Record<string, unknown>> {
  const defs: ResourceMap = ctx.version === 1 ? resources[1] : resources[2]
  return serializeWith(tx, defs, type, data, ctx, options)
}

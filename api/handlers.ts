import type { Services } from '../lib/services'
import type { HandlerTable } from './context'
import { nomisFinanceHandlers } from './nomis/finance'
import { nomisOffenderHandlers } from './nomis/offenders'
import { recordsAdminHandlers } from './nomis/recordsAdmin'
import { nomisSystemHandlers } from './nomis/system'
import { hmppsQueueAdminHandlers } from './platform/hmppsQueueAdmin'
import { oauthHandlers } from './platform/oauth'
import { operationsHandlers } from './platform/operations'
import { assessmentHandlers } from './assessments/assessments'
import { allocationHandlers } from './moves/allocations'
import { courtHearingHandlers } from './moves/courtHearings'
import { personRecordHandlers } from './moves/personRecords'
import { diagnosticsHandlers } from './platform/diagnostics'
import { regionHandlers } from './reference/regions'
import { eventHandlers } from './events/handlers'
import { documentHandlers } from './documents/documents'
import { csvHandlers } from './moves/csv'
import { populationHandlers } from './populations/populations'
import { subjectAccessHandlers } from './subjectAccess/subjectAccess'
import { gpsHandlers } from './gps/tracks'
import { journeyHandlers } from './moves/journeys'
import { lifecycleHandlers } from './moves/lifecycle'
import { lodgingHandlers } from './moves/lodgings'
import { moveHandlers } from './moves/moves'
import { peopleHandlers } from './moves/people'
import { notificationHandlers } from './notifications/subscriptions'
import { frameworkHandlers } from './reference/frameworks'
import { referenceDataHandlers } from './reference/referenceData'
import { visitAdminHandlers } from './visits/admin'
import { visitAllocationHandlers } from './visits/allocation'
import { queueAdminHandlers } from './visits/queueAdmin'

/** operationId -> handler, for every operation in openapi.yaml. */
export function handlerTable(services: Services): HandlerTable {
  const tables = [
    operationsHandlers,
    oauthHandlers,
    referenceDataHandlers,
    frameworkHandlers,
    allocationHandlers,
    peopleHandlers,
    moveHandlers,
    notificationHandlers,
    lifecycleHandlers,
    eventHandlers,
    journeyHandlers,
    lodgingHandlers,
    assessmentHandlers,
    gpsHandlers,
    visitAllocationHandlers,
    visitAdminHandlers,
    queueAdminHandlers,
    hmppsQueueAdminHandlers,
    nomisOffenderHandlers,
    nomisFinanceHandlers,
    nomisSystemHandlers,
    recordsAdminHandlers,
    courtHearingHandlers,
    personRecordHandlers,
    regionHandlers,
    diagnosticsHandlers,
    documentHandlers,
    csvHandlers,
    populationHandlers,
    subjectAccessHandlers,
  ].map(factory => factory(services))
  const table: HandlerTable = {}
  for (const t of tables) {
    for (const [operationId, handler] of Object.entries(t)) {
      if (table[operationId]) throw new Error(`operationId ${operationId} has two handlers`)
      table[operationId] = handler
    }
  }
  return table
}

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
import { eventHandlers } from './moves/events'
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

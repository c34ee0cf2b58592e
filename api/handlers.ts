import type { Services } from '../lib/services'
import type { HandlerTable } from './context'
import { nomisFinanceHandlers } from './nomis/finance'
import { nomisOffenderHandlers } from './nomis/offenders'
import { recordsAdminHandlers } from './nomis/recordsAdmin'
import { nomisSystemHandlers } from './nomis/system'
import { oauthHandlers } from './platform/oauth'
import { operationsHandlers } from './platform/operations'
import { referenceDataHandlers } from './reference/referenceData'

/** operationId -> handler, for every operation in openapi.yaml. */
export function handlerTable(services: Services): HandlerTable {
  const tables = [
    operationsHandlers,
    oauthHandlers,
    referenceDataHandlers,
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

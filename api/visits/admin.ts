import { listPrisonSwitches, incentiveAmounts, setIncentiveAmounts, setPrisonSwitch } from '../../lib/visits/admin'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'
import { requireRole } from '../jsonapiBody'
import { VISITS_ADMIN } from './allocation'

export function visitAdminHandlers(services: Services): HandlerTable {
  return {
    listVisitAllocationPrisons: async (req, res) => {
      requireRole(req, VISITS_ADMIN)
      res.json(await listPrisonSwitches(services.db))
    },
    setVisitAllocationPrison: async (req, res) => {
      requireRole(req, VISITS_ADMIN)
      const { allocationEnabled } = req.body as { allocationEnabled: boolean }
      res.json(await setPrisonSwitch(services.db, services.clock, String(req.params.prisonCode), allocationEnabled))
    },
    listIncentiveAmounts: async (req, res) => {
      requireRole(req, VISITS_ADMIN)
      res.json(await incentiveAmounts(services.db, String(req.params.prisonCode)))
    },
    setIncentiveAmounts: async (req, res) => {
      requireRole(req, VISITS_ADMIN)
      const body = req.body as { visitOrders: number; privilegedVisitOrders: number }
      res.json(
        await setIncentiveAmounts(
          services.db,
          services.clock,
          String(req.params.prisonCode),
          String(req.params.levelCode),
          body,
        ),
      )
    },
  }
}

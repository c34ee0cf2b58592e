import { listPrisonSwitches, incentiveAmounts, setIncentiveAmounts, setPrisonSwitch } from '../../lib/visits/admin'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'

export function visitAdminHandlers(services: Services): HandlerTable {
  return {
    listVisitAllocationPrisons: async (_req, res) => {
      res.json(await listPrisonSwitches(services.db))
    },
    setVisitAllocationPrison: async (req, res) => {
      const { allocationEnabled } = req.body as { allocationEnabled: boolean }
      res.json(await setPrisonSwitch(services.db, services.clock, String(req.params.prisonCode), allocationEnabled))
    },
    listIncentiveAmounts: async (req, res) => {
      res.json(await incentiveAmounts(services.db, String(req.params.prisonCode)))
    },
    setIncentiveAmounts: async (req, res) => {
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

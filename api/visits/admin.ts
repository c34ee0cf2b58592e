import { listPrisonSwitches, incentiveAmounts, setIncentiveAmounts, setPrisonSwitch } from '../../lib/visits/admin'
import type { Services } from '../../lib/services'
import type { HandlerTable } from '../context'
import { input } from '../typedInput'

export function visitAdminHandlers(services: Services): HandlerTable {
  return {
    listVisitAllocationPrisons: async (_req, res) => {
      res.json(await listPrisonSwitches(services.db))
    },
    setVisitAllocationPrison: async (req, res) => {
      const { path, body } = input(req, 'setVisitAllocationPrison')
      res.json(await setPrisonSwitch(services.db, services.clock, path.prisonCode, body.allocationEnabled))
    },
    listIncentiveAmounts: async (req, res) => {
      res.json(await incentiveAmounts(services.db, input(req, 'listIncentiveAmounts').path.prisonCode))
    },
    setIncentiveAmounts: async (req, res) => {
      const { path, body } = input(req, 'setIncentiveAmounts')
      res.json(await setIncentiveAmounts(services.db, services.clock, path.prisonCode, path.levelCode, body))
    },
  }
}

import { listPrisonSwitches, incentiveAmounts, setIncentiveAmounts, setPrisonSwitch } from '../../lib/visits/admin'
import type { Services } from '../../lib/services'
import { jsonResponse, write, type HandlerTable } from '../context'
import { input } from '../typedInput'

export function visitAdminHandlers(services: Services): HandlerTable {
  return {
    listVisitAllocationPrisons: async (_req, res) => {
      res.json(await listPrisonSwitches(services.db))
    },
    setVisitAllocationPrison: write(async (req, { tx, clock }) => {
      const { path, body } = input(req, 'setVisitAllocationPrison')
      return jsonResponse(200, await setPrisonSwitch(tx, clock, path.prisonCode, body.allocationEnabled))
    }),
    listIncentiveAmounts: async (req, res) => {
      res.json(await incentiveAmounts(services.db, input(req, 'listIncentiveAmounts').path.prisonCode))
    },
    setIncentiveAmounts: write(async (req, { tx, clock }) => {
      const { path, body } = input(req, 'setIncentiveAmounts')
      return jsonResponse(200, await setIncentiveAmounts(tx, clock, path.prisonCode, path.levelCode, body))
    }),
  }
}

import { londonToday } from '../../lib/clock'
import { DomainError, member } from '../../lib/errors'
import type { Services } from '../../lib/services'
import { adjustPrisonerBalance, type Adjustment } from '../../lib/visits/adjustBalance'
import { jobStatus, runPrisonJob, startAllocationJob, UnknownPrisonError } from '../../lib/visits/allocationJob'
import { detailedBalance, prisonerBalance, visitOrderHistory } from '../../lib/visits/queries'
import type { HandlerTable } from '../context'

function notFound(prisonerId: string): never {
  throw new DomainError('not_found', `No visit order balance for prisoner ${prisonerId}`)
}

export function visitAllocationHandlers(services: Services): HandlerTable {
  return {
    startVisitAllocationJob: async (req, res) => {
      const body = (req.body ?? {}) as { allocationDate?: string; prisonCode?: string }
      const job = await startAllocationJob(services, { date: body.allocationDate, prisonCode: body.prisonCode }).catch(
        (err: unknown) => {
          if (err instanceof UnknownPrisonError) {
            throw new DomainError('unprocessable_entity', err.message, { subject: member('prisonCode') })
          }
          throw err
        },
      )
      // The prisons are claimed; the work itself carries on after the answer, as the nightly run does.
      void (async () => {
        for (const id of job.prisonJobIds) await runPrisonJob(services, id)
      })().catch((err: unknown) =>
        services.log.error({ err, reference: job.allocationJobReference }, 'visit job failed'),
      )
      res.status(202).json({
        allocationJobReference: job.allocationJobReference,
        allocationDate: job.allocationDate,
        totalActivePrisons: job.totalActivePrisons,
      })
    },

    getVisitAllocationJob: async (req, res) => {
      const status = await jobStatus(services.db, String(req.params.reference))
      if (!status) throw new DomainError('not_found', `No allocation job ${String(req.params.reference)}`)
      res.json(status)
    },

    getPrisonerBalance: async (req, res) => {
      const prisonerId = String(req.params.prisonerId)
      res.json((await prisonerBalance(services.db, prisonerId)) ?? notFound(prisonerId))
    },

    getPrisonerDetailedBalance: async (req, res) => {
      const prisonerId = String(req.params.prisonerId)
      res.json((await detailedBalance(services.db, prisonerId, londonToday(services.clock))) ?? notFound(prisonerId))
    },

    adjustPrisonerBalance: async (req, res) => {
      const body = req.body as Adjustment
      if (body.adjustmentReasonType === 'OTHER' && !body.adjustmentReasonText?.trim()) {
        throw new DomainError('bad_request', 'adjustmentReasonText is required when the reason is OTHER', {
          subject: member('adjustmentReasonText'),
        })
      }
      res.json(await adjustPrisonerBalance(services, String(req.params.prisonerId), body))
    },

    getVisitOrderHistory: async (req, res) => {
      const prisonerId = String(req.params.prisonerId)
      const history = await visitOrderHistory(services.db, prisonerId, String(req.query.fromDate))
      res.json(history ?? notFound(prisonerId))
    },
  }
}

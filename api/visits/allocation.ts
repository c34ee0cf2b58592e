import { londonToday } from '../../lib/clock'
import { DomainError, member } from '../../lib/errors'
import type { Services } from '../../lib/services'
import { adjustPrisonerBalance } from '../../lib/visits/adjustBalance'
import { jobStatus, runPrisonJob, startAllocationJob, UnknownPrisonError } from '../../lib/visits/allocationJob'
import { detailedBalance, prisonerBalance, visitOrderHistory } from '../../lib/visits/queries'
import { jsonResponse, write, type HandlerTable } from '../context'
import { input } from '../typedInput'

function notFound(prisonerId: string): never {
  throw new DomainError('not_found', `No visit order balance for prisoner ${prisonerId}`)
}

export function visitAllocationHandlers(services: Services): HandlerTable {
  return {
    startVisitAllocationJob: write(async (req, w) => {
      const { body } = input(req, 'startVisitAllocationJob')
      const job = await startAllocationJob(w, { date: body.allocationDate, prisonCode: body.prisonCode }).catch(
        (err: unknown) => {
          if (err instanceof UnknownPrisonError) {
            throw new DomainError('unprocessable_entity', err.message, { subject: member('prisonCode') })
          }
          throw err
        },
      )
      // The prisons are claimed once this commits; the work itself carries on after the answer, as the nightly run does.
      w.afterCommit(() => {
        void (async () => {
          for (const id of job.prisonJobIds) await runPrisonJob(services, id)
        })().catch((err: unknown) =>
          services.log.error({ err, reference: job.allocationJobReference }, 'visit job failed'),
        )
      })
      return jsonResponse(202, {
        allocationJobReference: job.allocationJobReference,
        allocationDate: job.allocationDate,
        totalActivePrisons: job.totalActivePrisons,
      })
    }),

    getVisitAllocationJob: async (req, res) => {
      const { reference } = input(req, 'getVisitAllocationJob').path
      const status = await jobStatus(services.db, reference)
      if (!status) throw new DomainError('not_found', `No allocation job ${reference}`)
      res.json(status)
    },

    getPrisonerBalance: async (req, res) => {
      const { prisonerId } = input(req, 'getPrisonerBalance').path
      res.json((await prisonerBalance(services.db, prisonerId)) ?? notFound(prisonerId))
    },

    getPrisonerDetailedBalance: async (req, res) => {
      const { prisonerId } = input(req, 'getPrisonerDetailedBalance').path
      res.json((await detailedBalance(services.db, prisonerId, londonToday(services.clock))) ?? notFound(prisonerId))
    },

    adjustPrisonerBalance: write(async (req, w) => {
      const { path, body } = input(req, 'adjustPrisonerBalance')
      const max = services.config.visitsMaxVisitOrders
      return jsonResponse(200, await adjustPrisonerBalance(w, path.prisonerId, body, { max }))
    }),

    getVisitOrderHistory: async (req, res) => {
      const { path, query } = input(req, 'getVisitOrderHistory')
      const prisonerId = path.prisonerId
      const history = await visitOrderHistory(services.db, prisonerId, query.fromDate)
      res.json(history ?? notFound(prisonerId))
    },
  }
}

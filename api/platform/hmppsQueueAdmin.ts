import type { Knex } from 'knex'
import { DomainError } from '../../lib/errors'
import type { Services } from '../../lib/services'
import { jsonResponse, write, type HandlerTable } from '../context'
import { input } from '../typedInput'

/** A message as hmpps-sqs returns it: its body and its id. */
type DlqMessage = { body: unknown; messageId: string }

/** The queue whose dead-letter queue `dlq` is; 404 for any other name. */
function deadLetterQueue(services: Services, dlq: string): { queue: string } {
  const queue = services.queue.queueOfDeadLetterQueue(dlq)
  if (!queue) throw new DomainError('not_found', `${dlq} is not a dead-letter queue of this service`)
  return { queue }
}

async function retryDlq(services: Services, tx: Knex.Transaction, queue: string) {
  const moved = await services.queue.redriveDeadLetters(tx, queue)
  services.log.info({ queue, messageIds: moved.map(m => m.id) }, 'dead letters moved back to their queue')
  const messages: DlqMessage[] = moved.map(m => ({ body: m.data, messageId: m.id }))
  return { messagesFoundCount: messages.length, messages }
}

/**
 * The hmpps-sqs queue-admin endpoints that HMPPS cron jobs and runbooks call, with that library's
 * paths and response shapes (RetryDlqResult, PurgeQueueResult, GetDlqResult), beside our own
 * `/queue-admin/queues/...` routes. Each needs hmpps-sqs's ROLE_QUEUE_ADMIN, our `queue-admin` role
 * (`x-roles` in openapi.yaml). hmpps-sqs leaves `retry-all-dlqs` open for an in-cluster cron job and
 * relies on the ingress to hide it; we have no such ingress, so it needs the role as the others do.
 */
export function hmppsQueueAdminHandlers(services: Services): HandlerTable {
  return {
    retryDlq: write(async (req, { tx }) =>
      jsonResponse(200, await retryDlq(services, tx, deadLetterQueue(services, input(req, 'retryDlq').path.dlq).queue)),
    ),
    retryAllDlqs: write(async (_req, { tx }) => {
      const results = []
      for (const queue of services.queue.names()) results.push(await retryDlq(services, tx, queue))
      return jsonResponse(200, results)
    }),
    purgeQueue: write(async (req, { tx }) => {
      const name = input(req, 'purgeQueue').path.queue
      if (!services.queue.has(name) && !services.queue.queueOfDeadLetterQueue(name)) {
        throw new DomainError('not_found', `${name} is not a queue of this service`)
      }
      const messagesFoundCount = await services.queue.purge(tx, name)
      services.log.info({ queue: name, messagesFoundCount }, 'queue purged')
      return jsonResponse(200, { messagesFoundCount })
    }),
    getDlqMessages: async (req, res) => {
      const { path, query } = input(req, 'getDlqMessages')
      const { queue } = deadLetterQueue(services, path.dlq)
      const { messagesOnDlq } = await services.queue.depth(queue)
      const letters = await services.queue.deadLetters(queue, query.maxMessages ?? 100)
      res.json({
        messagesFoundCount: messagesOnDlq,
        messagesReturnedCount: letters.length,
        messages: letters.map(l => ({ body: l.data, messageId: l.id })),
      })
    },
  }
}

import type { Request } from 'express'
import { DomainError, member } from '../../lib/errors'
import type { Services } from '../../lib/services'
import { DOMAIN_EVENTS_QUEUE, InvalidMessageError, parseEnvelope } from '../../lib/visits/events'
import type { HandlerTable } from '../context'

function queueName(services: Services, req: Request): string {
  const name = String(req.params.queue)
  if (!services.queue.has(name)) throw new DomainError('not_found', `No queue ${name}`)
  return name
}

/** Operators' view of the queues: send a domain event by hand (the seed's `aws sqs send-message`), and the dead letters. */
export function queueAdminHandlers(services: Services): HandlerTable {
  return {
    sendDomainEvent: async (req, res) => {
      try {
        parseEnvelope(req.body)
      } catch (err) {
        if (err instanceof InvalidMessageError)
          throw new DomainError('bad_request', err.message, { subject: member('Message') })
        throw err
      }
      const id = await services.db.transaction(tx => services.queue.send(tx, DOMAIN_EVENTS_QUEUE, req.body as object))
      res
        .status(202)
        .json({ queue: DOMAIN_EVENTS_QUEUE, jobId: id, messageId: (req.body as { MessageId: string }).MessageId })
    },
    listDeadLetters: async (req, res) => {
      const name = queueName(services, req)
      const letters = await services.queue.deadLetters(name, Number(req.query.limit ?? 100))
      res.json({ queue: name, messages: letters })
    },
    retryDeadLetters: async (req, res) => {
      const name = queueName(services, req)
      const ids = (req.body as { ids?: string[] } | undefined)?.ids
      res.json({ queue: name, retried: await services.queue.retryDeadLetters(name, ids) })
    },
    purgeDeadLetters: async (req, res) => {
      const name = queueName(services, req)
      res.json({ queue: name, purged: await services.queue.purgeDeadLetters(name) })
    },
  }
}

import { DomainError, member } from '../../lib/errors'
import type { Services } from '../../lib/services'
import { DOMAIN_EVENTS_QUEUE, InvalidMessageError, parseEnvelope } from '../../lib/visits/events'
import { jsonResponse, write, type HandlerTable } from '../context'
import { input } from '../typedInput'

/** A queue the service has, by the name in the path. */
function knownQueue(services: Services, name: string): string {
  if (!services.queue.has(name)) throw new DomainError('not_found', `No queue ${name}`)
  return name
}

/** Operators' view of the queues: send a domain event by hand (the seed's `aws sqs send-message`), and the dead letters. */
export function queueAdminHandlers(services: Services): HandlerTable {
  return {
    sendDomainEvent: write(async (req, { tx }) => {
      const { body } = input(req, 'sendDomainEvent')
      try {
        parseEnvelope(body)
      } catch (err) {
        if (err instanceof InvalidMessageError)
          throw new DomainError('bad_request', err.message, { subject: member('Message') })
        throw err
      }
      const id = await services.queue.send(tx, DOMAIN_EVENTS_QUEUE, body)
      return jsonResponse(202, { queue: DOMAIN_EVENTS_QUEUE, jobId: id, messageId: body.MessageId })
    }),
    listDeadLetters: async (req, res) => {
      const { path, query } = input(req, 'listDeadLetters')
      const name = knownQueue(services, path.queue)
      const letters = await services.queue.deadLetters(name, query.limit ?? 100)
      res.json({ queue: name, messages: letters })
    },
    retryDeadLetters: write(async (req, { tx }) => {
      const { path, body } = input(req, 'retryDeadLetters')
      const name = knownQueue(services, path.queue)
      const ids = body.ids
      return jsonResponse(200, { queue: name, retried: await services.queue.retryDeadLetters(tx, name, ids) })
    }),
    purgeDeadLetters: write(async (req, { tx }) => {
      const name = knownQueue(services, input(req, 'purgeDeadLetters').path.queue)
      return jsonResponse(200, { queue: name, purged: await services.queue.purgeDeadLetters(tx, name) })
    }),
  }
}

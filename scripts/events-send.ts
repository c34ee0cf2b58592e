import { parseArgs } from 'node:util'
import { seedDemoData } from './seeds'
import { systemClock } from '../lib/clock'
import { loadConfig } from '../lib/config'
import { createLogger } from '../lib/log'
import { createServices } from '../lib/services'
import { DOMAIN_EVENTS_QUEUE, InvalidMessageError, parseEnvelope } from '../lib/visits/events'
import { fail, openDatabase } from './cli'

const usage = `usage: npm run events:send -- --message-body '{"Type":"Notification","Message":"{...}","MessageId":"123"}'
Puts a domain event in its SNS envelope on the visits queue, as \`aws sqs send-message\` does for the reference.`

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'message-body': { type: 'string' }, help: { type: 'boolean' } } })
  if (values.help) return void console.log(usage)
  if (!values['message-body']) fail(usage)
  let body: unknown
  try {
    body = JSON.parse(values['message-body'])
    parseEnvelope(body)
  } catch (err) {
    if (err instanceof SyntaxError || err instanceof InvalidMessageError) fail(`${err.message}\n${usage}`)
    throw err
  }
  const config = loadConfig()
  const db = await openDatabase()
  try {
    const services = createServices({ db, config, clock: systemClock, log: createLogger('warn') })
    await services.queue.start()
    await seedDemoData(db, services)
    const jobId = await db.transaction(tx => services.queue.send(tx, DOMAIN_EVENTS_QUEUE, body as object))
    console.log(JSON.stringify({ queue: DOMAIN_EVENTS_QUEUE, jobId }))
    await services.queue.stop()
  } finally {
    await db.destroy()
  }
}

void main()

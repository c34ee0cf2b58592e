import { parseArgs } from 'node:util'
import { systemClock } from '../lib/clock'
import { loadConfig } from '../lib/config'
import { DomainError } from '../lib/errors'
import { subscriptionKey } from '../lib/notifications/secrets'
import { createSubscription } from '../lib/notifications/subscriptions'
import { fail, loadDemoData, openDatabase } from './cli'

const usage = `usage: npm run subscriptions:create -- --supplier KEY [--url URL --secret SECRET] [--username USER --password PASSWORD] [--email ADDRESS]`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      supplier: { type: 'string' },
      url: { type: 'string' },
      secret: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      email: { type: 'string' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) return void console.log(usage)
  if (!values.supplier) fail(usage)

  const db = await openDatabase()
  try {
    // The supplier keys come from the demo data, so a fresh install can subscribe a supplier at once.
    await loadDemoData(db)
    const supplier = (await db('suppliers').where({ key: values.supplier }).first('id')) as { id: string } | undefined
    if (!supplier) fail(`unknown supplier ${values.supplier}`)
    const row = await db.transaction(tx =>
      createSubscription(
        tx,
        subscriptionKey(loadConfig()),
        supplier.id,
        {
          callback_url: values.url ?? null,
          secret: values.secret ?? null,
          username: values.username ?? null,
          password: values.password ?? null,
          email_address: values.email ?? null,
        },
        systemClock.now(),
      ),
    )
    console.log(
      JSON.stringify({
        id: row.id,
        supplier: values.supplier,
        callback_url: row.callback_url,
        username: row.username,
        email_address: row.email_address,
        enabled: row.enabled,
      }),
    )
  } catch (err) {
    if (err instanceof DomainError) fail(err.problems.map(p => p.detail).join('\n'))
    throw err
  } finally {
    await db.destroy()
  }
}

void main()

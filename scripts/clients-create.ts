import { parseArgs } from 'node:util'
import { createClient, ROLES, UnknownSupplierError } from '../lib/auth/clients'
import { fail, loadDemoData, openDatabase } from './cli'

const usage = `usage: npm run clients:create -- --name NAME [--supplier KEY] [--role ROLE ...]
roles: ${ROLES.join(', ')}`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      supplier: { type: 'string' },
      role: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  })
  if (values.help) return void console.log(usage)
  if (!values.name) fail(usage)
  const badRoles = (values.role ?? []).filter(r => !(ROLES as readonly string[]).includes(r))
  if (badRoles.length) fail(`unknown role(s) ${badRoles.join(', ')}\n${usage}`)

  const db = await openDatabase()
  try {
    // The supplier keys come from the demo data, so a fresh install can create a supplier client at once.
    await loadDemoData(db)
    const { client, clientSecret } = await createClient(db, {
      name: values.name,
      supplierKey: values.supplier,
      roles: values.role,
    })
    console.log(JSON.stringify({ client_id: client.clientId, client_secret: clientSecret }))
  } catch (err) {
    if (err instanceof UnknownSupplierError) fail(err.message)
    throw err
  } finally {
    await db.destroy()
  }
}

void main()

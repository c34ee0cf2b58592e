import { createHmac, randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Db } from '../../db/client'

export type Received = { headers: http.IncomingHttpHeaders; raw: string; body: NotificationDocument }
export type NotificationDocument = {
  data: {
    id: string
    type: string
    attributes: { event_type: string; timestamp: string }
    relationships: { move: { data: { id: string; type: string }; links: { self: string } } }
  }
}

/** What the receiver does with the nth request (1-based): answer with a status, or never answer. */
export type Behaviour = (n: number) => number | 'hang'

/** A webhook receiver on loopback that records every request it gets, raw body included. */
export async function startReceiver(behaviour: Behaviour = () => 200) {
  const received: Received[] = []
  let behave = behaviour
  const server = http.createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', chunk => (raw += chunk))
    req.on('end', () => {
      received.push({ headers: req.headers, raw, body: JSON.parse(raw) as NotificationDocument })
      const outcome = behave(received.length)
      if (outcome === 'hang') return
      res.writeHead(outcome, { 'Content-Type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    behave: (next: Behaviour) => {
      behave = next
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    },
  }
}

export function signatureOf(secret: string, raw: string): string {
  return createHmac('sha256', secret).update(raw).digest('base64')
}

export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

let counter = 0
const madeSuppliers: string[] = []

/** Unlinks the test suppliers from their locations, for the tests that list every location with its suppliers. */
export async function unlinkTestSuppliers(db: Db): Promise<void> {
  await db('locations_suppliers').whereIn('supplier_id', madeSuppliers).del()
}

/** A supplier of the test's own, and a location only it serves, so that no other test's subscription hears of its moves. */
export async function makeSupplier(db: Db): Promise<{ id: string; key: string; locationId: string }> {
  const n = `${process.pid}_${++counter}_${randomUUID().slice(0, 8)}`
  const id = randomUUID()
  const key = `notify_${n}`
  await db('suppliers').insert({ id, key, name: `Notify ${n}` })
  madeSuppliers.push(id)
  const locationId = await makeLocation(db, [id])
  return { id, key, locationId }
}

export async function makeLocation(db: Db, supplierIds: string[]): Promise<string> {
  const id = randomUUID()
  await db('locations').insert({
    id,
    key: `notify_loc_${randomUUID().replace(/-/g, '')}`,
    title: 'Notify',
    location_type: 'prison',
  })
  if (supplierIds.length)
    await db('locations_suppliers').insert(supplierIds.map(supplier_id => ({ location_id: id, supplier_id })))
  return id
}

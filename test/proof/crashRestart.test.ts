import { expect } from 'chai'
import { isolatedDatabase, runScript, startServer, token, type ServerEnv } from '../support/serverProcess'

type Acknowledged = { key: string; body: unknown; response: { status: number; body: string } }

describe('Crash and restart of the server process', function () {
  this.timeout(180_000)
  let env: ServerEnv
  let drop: () => Promise<void>
  let credentials: { client_id: string; client_secret: string }

  before(async () => {
    ;({ env, drop } = await isolatedDatabase())
    // admin adds locations; frontend reads the suppliers (/api's reads need a booking client, issue #13).
    credentials = JSON.parse(
      await runScript(
        'scripts/clients-create.ts',
        ['--name', 'crash-test', '--role', 'admin', '--role', 'frontend'],
        env,
      ),
    )
  })

  after(async () => drop())

  it('keeps every acknowledged write, leaves no partial one, and replays every acknowledged key after SIGKILL', async () => {
    const first = await startServer(env)
    const bearer = await token(first.url, credentials)
    const geoamey = await fetch(`${first.url}/api/reference/suppliers`, {
      headers: { Authorization: `Bearer ${bearer}` },
    })
      .then(r => r.json() as Promise<{ data: { id: string; attributes: { key: string } }[] }>)
      .then(doc => doc.data.find(s => s.attributes.key === 'geoamey')!.id)

    const acknowledged: Acknowledged[] = []
    let sent = 0
    let killed = false
    const post = async (url: string, auth: string, key: string, body: unknown) =>
      fetch(`${url}/api/reference/locations`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${auth}`,
          'Content-Type': 'application/vnd.api+json',
          'Idempotency-Key': key,
        },
        body: JSON.stringify(body),
      })
    const worker = async () => {
      for (;;) {
        const n = ++sent
        const key = crypto.randomUUID()
        const body = {
          data: {
            type: 'locations',
            attributes: { key: `crash_${n}`, title: `Crash court ${n}`, location_type: 'court' },
            relationships: { suppliers: { data: [{ type: 'suppliers', id: geoamey }] } },
          },
        }
        try {
          const res = await post(first.url, bearer, key, body)
          const text = await res.text()
          if (res.status === 201) acknowledged.push({ key, body, response: { status: res.status, body: text } })
          else throw new Error(`unexpected ${res.status}: ${text}`)
        } catch (err) {
          if (killed) return
          throw err
        }
      }
    }
    const workers = Array.from({ length: 8 }, worker)
    while (acknowledged.length < 40) await new Promise(resolve => setTimeout(resolve, 10))
    killed = true
    first.child.kill('SIGKILL')
    await Promise.all(workers)
    await first.exited
    expect(acknowledged.length).to.be.at.least(40)

    const second = await startServer(env)
    try {
      const bearer2 = await token(second.url, credentials)
      const list = await fetch(`${second.url}/api/reference/locations?filter%5Blocation_type%5D=court&per_page=2000`, {
        headers: { Authorization: `Bearer ${bearer2}` },
      }).then(
        r =>
          r.json() as Promise<{
            data: { attributes: { key: string }; relationships: { suppliers: { data: unknown[] } } }[]
          }>,
      )
      const stored = list.data.filter(l => l.attributes.key.startsWith('crash_'))
      const storedKeys = new Set(stored.map(l => l.attributes.key))
      for (const ack of acknowledged) {
        expect(storedKeys.has((ack.body as { data: { attributes: { key: string } } }).data.attributes.key)).to.equal(
          true,
        )
      }
      for (const location of stored) expect(location.relationships.suppliers.data).to.have.length(1)
      for (const ack of acknowledged) {
        const replay = await post(second.url, bearer2, ack.key, ack.body)
        expect(replay.status).to.equal(201)
        expect(replay.headers.get('idempotent-replayed')).to.equal('true')
        expect(await replay.text()).to.equal(ack.response.body)
      }
    } finally {
      second.child.kill('SIGTERM')
      expect(await second.exited).to.equal(0)
    }
  })
})

describe('The HTTP server outside Express', function () {
  this.timeout(120_000)

  it('answers an oversized request line with a JSON:API 431, and stops cleanly on SIGTERM', async () => {
    const { env, drop } = await isolatedDatabase()
    const server = await startServer(env)
    try {
      const res = await fetch(`${server.url}/api/reference/locations?q=${'x'.repeat(20_000)}`)
      expect(res.status).to.equal(431)
      expect(res.headers.get('content-type')).to.equal('application/vnd.api+json')
      expect(((await res.json()) as { errors: { code: string }[] }).errors[0]!.code).to.equal(
        'request_header_too_large',
      )
    } finally {
      server.child.kill('SIGTERM')
      expect(await server.exited).to.equal(0)
      await drop()
    }
  })
})

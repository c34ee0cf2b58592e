import { expect } from 'chai'
import { walkthroughIds } from '../../db/seeds/referenceData'
import { isolatedDatabase, runScript, startServer, token, type ServerEnv } from '../support/serverProcess'
import { eventually, signatureOf, sleep, startReceiver } from './receiver'

const SECRET = 'crash-test-signing-secret'

describe('Supplier notifications across a crash of the server process', function () {
  this.timeout(180_000)
  let env: ServerEnv
  let drop: () => Promise<void>

  before(async () => {
    ;({ env, drop } = await isolatedDatabase())
  })

  after(async () => drop())

  it('subscriptions:create prints the subscription as one JSON line, and refuses bad input', async () => {
    const out = await runScript(
      'scripts/subscriptions-create.ts',
      [
        '--supplier',
        'geoamey',
        '--url',
        'https://geoamey.example.test/hook',
        '--secret',
        SECRET,
        '--email',
        'ops@geoamey.example.test',
      ],
      env,
    )
    const lines = out.trim().split('\n')
    expect(lines).to.have.length(1)
    const printed = JSON.parse(lines[0]!)
    expect(printed).to.include({
      supplier: 'geoamey',
      callback_url: 'https://geoamey.example.test/hook',
      email_address: 'ops@geoamey.example.test',
      enabled: true,
    })
    expect(out).to.not.include(SECRET)
    let refused = ''
    await runScript(
      'scripts/subscriptions-create.ts',
      ['--supplier', 'geoamey', '--url', 'https://x.example.test'],
      env,
    ).catch((err: Error) => (refused = err.message))
    expect(refused).to.include('A callback_url needs a secret')
  })

  it('delivers a notification committed just before SIGKILL once the server is back', async () => {
    const receiver = await startReceiver()
    try {
      const credentials = JSON.parse(
        await runScript('scripts/clients-create.ts', ['--name', 'crash-notify', '--supplier', 'serco'], env),
      )
      await runScript(
        'scripts/subscriptions-create.ts',
        ['--supplier', 'serco', '--url', receiver.url, '--secret', SECRET],
        env,
      )

      // No worker in the first process: the kill is certain to fall between the commit and the delivery.
      const first = await startServer({ ...env, EVENTS_WORKER_ENABLED: 'false' })
      const bearer = await token(first.url, credentials)
      const res = await fetch(`${first.url}/api/allocations`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${bearer}`,
          'Content-Type': 'application/vnd.api+json',
          'Idempotency-Key': crypto.randomUUID(),
        },
        body: JSON.stringify({
          data: {
            type: 'allocations',
            attributes: { moves_count: 2, date: '2031-09-01', estate: 'adult_male' },
            relationships: {
              from_location: { data: { type: 'locations', id: walkthroughIds.brinsford } },
              to_location: { data: { type: 'locations', id: walkthroughIds.isleOfWight } },
            },
          },
        }),
      })
      expect(res.status).to.equal(201)
      const moveIds = (
        (await res.json()) as { data: { relationships: { moves: { data: { id: string }[] } } } }
      ).data.relationships.moves.data.map(m => m.id)
      first.child.kill('SIGKILL')
      await first.exited
      expect(receiver.received).to.have.length(0)

      const second = await startServer({ ...env, EVENTS_POLLING_SECONDS: '1' })
      try {
        await eventually(() => expect(receiver.received).to.have.length(2), 30_000)
        for (const got of receiver.received) {
          expect(got.headers['pecs-signature']).to.equal(signatureOf(SECRET, got.raw))
          expect(got.body.data.attributes.event_type).to.equal('create_move')
        }
        expect(receiver.received.map(r => r.body.data.relationships.move.data.id).sort()).to.deep.equal(moveIds.sort())
        await sleep(1500)
        expect(receiver.received).to.have.length(2)
      } finally {
        second.child.kill('SIGTERM')
        expect(await second.exited).to.equal(0)
      }
    } finally {
      await receiver.close()
    }
  })
})

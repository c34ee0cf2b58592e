import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'chai'
import { freePort, isolatedDatabase } from '../support/serverProcess'
import { alive, descendants, type Proc } from '../support/npmStart'

const root = path.join(__dirname, '..', '..')

/**
 * The README's example session: every ```sh block after a `<!-- readme-session -->` marker, in
 * document order, then the block after `<!-- readme-session-end -->` (stopping the server).
 */
export function readmeSession(readme: string): string {
  const block = (marker: string) =>
    [...readme.matchAll(new RegExp(`<!-- ${marker} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``, 'g'))].map(m => m[1]!)
  const blocks = block('readme-session')
  const end = block('readme-session-end')
  expect(blocks.length, 'session blocks').to.be.greaterThan(1)
  expect(end, 'the closing block').to.have.length(1)
  return [...blocks, ...end].join('\n')
}

// The session uses the embedded database, as a new user does, so it runs once, on the PGlite pass.
describe('The README runs as written', function () {
  // The session grows with each capability; on a loaded machine it has taken over five minutes.
  this.timeout(600_000)

  before(function () {
    if (process.env.DATABASE_URL) this.skip()
  })

  it('when its example session is pasted into bash on a fresh database, then every command succeeds and the server stops cleanly', async () => {
    const port = await freePort()
    // The one change: the port, as another server may hold 3000 on this machine.
    const script = readmeSession(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).replaceAll(
      'http://localhost:3000',
      `http://localhost:${port}`,
    )
    const database = await isolatedDatabase()
    const shell = spawn('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: root,
      env: {
        ...process.env,
        ...database.env,
        PORT: String(port),
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        CRON_ENABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    shell.stdout.on('data', chunk => (output += chunk))
    shell.stderr.on('data', chunk => (output += chunk))
    // The servers the session starts (npm, node running server.ts, the notifications' webhook receiver), as seen while it ran.
    const servers = new Map<string, Proc>()
    const watch = setInterval(() => {
      for (const proc of descendants(shell.pid!))
        if (/^npm start|server\.ts|createServer/.test(proc.command)) servers.set(`${proc.pid}:${proc.start}`, proc)
    }, 500)
    try {
      const code = await new Promise<number | null>(resolve => shell.on('exit', resolve))
      expect(code, output).to.equal(0)
      expect(output).to.contain('"nomis_agency_id":"BSI"')
      expect(output).to.contain('"status":"UP"')
      expect(output).to.contain('Secure Move platform')
      // The notifications session: the webhook delivered to its receiver, with the attempt logged.
      expect(output).to.match(/^POST \/pecs [0-9a-f-]{36} \S+ \{"data":/m)
      expect(output).to.contain('"event_type":"create_move","channel":"webhook","status":"delivered"')
      // The IPT allocation walkthrough: the allocation filled, both moves completed.
      expect(output).to.match(/^filled$/m)
      expect(output.match(/^move \w+: completed$/gm), 'completed moves').to.have.length(2)
      // The lodging session: the stay under way.
      expect(output).to.match(/"type":"lodgings","id":"[0-9a-f-]{36}","attributes":\{[^}]*"status":"started"/)
      // The person escort record session: answered section by section, handed over, then the move started.
      expect(output).to.contain('completed: risk-information completed, offence-information completed')
      expect(output).to.contain('record confirmed, handed over at 2026-11-24T08:45:00.000Z')
      expect(output).to.match(/^MoveAccept PerHandover MoveStart .*PerCompletion/m)
      // The GPS session: a batch stored, the track with its gap as GeoJSON, and the picture.
      expect(output).to.contain('"meta":{"received":11,"stored":11,"duplicates":0,"outside_journey":0}')
      expect(output).to.match(/"type":"FeatureCollection".*"point_count":11,.*"largest_gap_s":90,/)
      expect(output).to.match(/^<title>GPS track of move \w+<\/title>$/m)
      // Issue #21: a document given to a profile and downloaded, the day as CSV, free spaces, subject access.
      expect(output).to.match(/^\{"data":\[\{"type":"documents","id":"[0-9a-f-]{36}"\}\]\}$/m)
      expect(output).to.match(/^%PDF-1\.4$/m)
      expect(output).to.match(/^Status,Reference,Move type,From location name,Last name$/m)
      expect(output.match(/^completed,\w+,prison_transfer,BRINSFORD \(HMP\),CASEDY$/gm), 'CSV records').to.have.length(
        2,
      )
      expect(output).to.match(/^free spaces: 49$/m)
      expect(output).to.contain('[{"id":"')
      expect(output).to.match(
        /^people: 1, profiles: \d+, moves: \d+, journeys: \d+, events: \d+, person_escort_records: \d+, youth_risk_assessments: \d+, court_hearings: \d+, documents: 1$/m,
      )
      expect(servers.size, 'the server was seen').to.be.greaterThan(0)
      expect([...servers.values()].filter(alive), 'processes left behind').to.deep.equal([])
    } finally {
      clearInterval(watch)
      for (const proc of [...servers.values()].filter(alive)) process.kill(proc.pid, 'SIGKILL')
      await database.drop()
    }
  })
})

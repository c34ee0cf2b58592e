import http from 'node:http'
import net from 'node:net'
import { expect } from 'chai'
import { freePort, isolatedDatabase } from '../support/serverProcess'
import { alive, descendants, npmStart } from '../support/npmStart'
import { until } from '../support/until'

function refused(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1')
    socket.on('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.on('error', () => resolve(true))
  })
}

// One server started the README's way is enough to show the stop; it runs on the embedded database
// only, as the PostgreSQL run would show nothing more about signals and sockets.
describe('A clean stop of `npm start`', function () {
  this.timeout(180_000)

  before(function () {
    if (process.env.DATABASE_URL) this.skip()
  })

  it('when SIGTERM reaches npm, then new connections are refused, the idle socket is closed, the request in flight is answered, and no process is left', async () => {
    const database = await isolatedDatabase()
    const port = await freePort()
    const server = await npmStart(port, database.env)
    const tree = descendants(server.child.pid!)
    try {
      expect(tree.length).to.be.greaterThan(0)

      // An idle keep-alive connection, and a request whose body is still arriving.
      const agent = new http.Agent({ keepAlive: true })
      await new Promise<void>((resolve, reject) =>
        http.get(`${server.url}/health/ping`, { agent }, res => res.resume().on('end', resolve)).on('error', reject),
      )
      const idle = Object.values(agent.freeSockets).flat()[0]!
      const idleClosed = new Promise(resolve => idle.once('close', resolve))
      const body = 'grant_type=client_credentials&client_id=nobody&client_secret=nothing'
      const inFlight = http.request(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
      })
      const answered = new Promise<number>((resolve, reject) => {
        inFlight.on('response', res => res.resume().on('end', () => resolve(res.statusCode!)))
        inFlight.on('error', reject)
      })
      inFlight.write(body.slice(0, 10))
      inFlight.flushHeaders()
      await new Promise(resolve => setTimeout(resolve, 300))

      server.child.kill('SIGTERM')
      await until(() => refused(port))
      await idleClosed
      inFlight.end(body.slice(10))
      expect(await answered).to.equal(401)

      expect(await server.exited).to.equal(0)
      expect(tree.filter(alive)).to.deep.equal([])
      agent.destroy()
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL')
      // Should the stop fail, the server it orphaned must not outlive the test.
      for (const proc of tree.filter(alive)) process.kill(proc.pid, 'SIGKILL')
      await database.drop()
    }
  })
})

import { expect } from 'chai'
import { once } from 'node:events'
import { createServer, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Response } from 'express'
import { writeChunk } from '../../api/moves/csv'

describe('The CSV export when the client has gone (issue #21)', () => {
  it('when the client disconnected before a chunk is written, then writing it settles, reporting the client gone, instead of waiting forever', async () => {
    // A real response whose client hung up while the first page was being read: the response has
    // already closed, so neither 'drain' nor 'close' will ever come again.
    const responses: ServerResponse[] = []
    const server = createServer((_req, res) => responses.push(res))
    server.listen(0)
    await once(server, 'listening')
    try {
      const client = request({ port: (server.address() as AddressInfo).port, method: 'POST' })
      client.on('error', () => undefined)
      client.end()
      while (!responses.length) await new Promise(resolve => setImmediate(resolve))
      const res = responses[0]!
      client.destroy()
      if (!res.closed) await once(res, 'close')

      expect(await writeChunk(res as unknown as Response, 'Status,Reference\r\n')).to.equal(false)
    } finally {
      server.close()
    }
  })
})

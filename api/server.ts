import http from 'node:http'
import type { Duplex } from 'node:stream'
import type { Express } from 'express'
import type { ErrorCode } from '../lib/errors'
import { jsonApiError } from './errorHandler'

const transportErrors: Record<string, ErrorCode> = {
  HPE_HEADER_OVERFLOW: 'request_header_too_large',
  HPE_URI_OVERFLOW: 'request_header_too_large',
}

/**
 * The HTTP server around the app. Requests that Node's parser refuses before Express sees them
 * (an oversized URL or headers, a malformed request line) still get a JSON:API error body.
 */
export function createHttpServer(app: Express): http.Server {
  const server = http.createServer(app)
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy()
    const code = transportErrors[err.code ?? ''] ?? 'bad_request'
    const error = jsonApiError(code, {
      detail: code === 'bad_request' ? 'The request could not be parsed' : 'The request line or headers are too large',
    })
    const body = JSON.stringify({ jsonapi: { version: '1.1' }, errors: [error] })
    socket.end(
      `HTTP/1.1 ${error.status} ${http.STATUS_CODES[Number(error.status)]}\r\nContent-Type: application/vnd.api+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  })
  return server
}

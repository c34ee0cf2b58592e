import http from 'node:http'
import type { Duplex } from 'node:stream'
import type { Express } from 'express'
import { DomainError, type ErrorCode } from '../lib/errors'
import { errorResponse } from './errorHandler'

const transportErrors: Record<string, ErrorCode> = {
  HPE_HEADER_OVERFLOW: 'request_header_too_large',
  HPE_URI_OVERFLOW: 'request_header_too_large',
}

/**
 * The path of the request Node's parser refused, read from the bytes it had received, so that the
 * refusal is in that route family's shape. What cannot be read (a request line cut short) answers as
 * JSON:API, the default family.
 */
function refusedPath(err: NodeJS.ErrnoException & { rawPacket?: Buffer }): string {
  const line = err.rawPacket?.subarray(0, 2048).toString('latin1').split('\r\n', 1)[0] ?? ''
  return line.match(/^[A-Z]+ (\/\S*)/)?.[1] ?? '/'
}

/**
 * The HTTP server around the app. Requests that Node's parser refuses before Express sees them
 * (an oversized URL or headers, a malformed request line) still get an error body in their route
 * family's shape.
 */
export function createHttpServer(app: Express): http.Server {
  const server = http.createServer(app)
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    if (!socket.writable) return socket.destroy()
    const code = transportErrors[err.code ?? ''] ?? 'bad_request'
    const error = new DomainError(
      code,
      code === 'bad_request' ? 'The request could not be parsed' : 'The request line or headers are too large',
    )
    const { status, contentType, body } = errorResponse(error, refusedPath(err))
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  })
  return server
}

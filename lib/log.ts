import pino, { type DestinationStream, type Logger } from 'pino'

export type { Logger }

/** Names, dates of birth and credentials never reach the logs. */
const redact = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.client_secret',
  '*.first_names',
  '*.last_name',
  '*.date_of_birth',
  '*.given_name',
  '*.surname',
]

/** `destination` defaults to standard output; tests pass a stream to read what was logged. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact, base: { service: 'secure-move' } }
  return destination ? pino(options, destination) : pino(options)
}

/** Query parameters whose values are credentials, wherever a client puts them. */
const SECRET_PARAMETERS = /^(access_token|refresh_token|token|id_token|client_secret|code|password|secret)$/i

/**
 * A request URL fit for the logs: the value of every credential-like query parameter is replaced,
 * so a token sent in a query string (which we refuse) is not kept by the request log either.
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?')
  if (query < 0) return url
  const params = url
    .slice(query + 1)
    .split('&')
    .map(pair => {
      const [name = ''] = pair.split('=', 1)
      let decoded = name
      try {
        decoded = decodeURIComponent(name)
      } catch {
        // a malformed name is logged as sent; its value is still checked below
      }
      return SECRET_PARAMETERS.test(decoded) ? `${name}=[Redacted]` : pair
    })
  return `${url.slice(0, query)}?${params.join('&')}`
}

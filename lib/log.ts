import pino, { type Logger } from 'pino'

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

export function createLogger(level: string): Logger {
  return pino({ level, redact, base: { service: 'secure-move' } })
}

import path from 'node:path'
import Ajv, { type ErrorObject } from 'ajv'
import cron from 'node-cron'
import { DEFAULT_PREPARED_STATEMENT_LIMIT } from '../db/prepared'

export type Config = Readonly<{
  nodeEnv: string
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  logLevel: string
  tokenTtlSeconds: number
  authCacheSeconds: number
  /** Failed token requests per client id (and per address) within `tokenFailureWindowSeconds` before 429. */
  tokenFailureLimit: number
  tokenFailureAddressLimit: number
  tokenFailureWindowSeconds: number
  cronEnabled: boolean
  idempotencyRetentionHours: number
  idempotencyLockSeconds: number
  bodyLimit: string
  rateLimitPerMinute: number
  requestTimeoutMs: number
  statementTimeoutMs: number
  /**
   * The most distinct statement texts the process prepares on PostgreSQL (db/prepared.ts); 0 for none,
   * as behind a pooler that hands each transaction another server connection (PgBouncer in transaction mode).
   */
  preparedStatementLimit: number
  /** Longest a stop (SIGTERM, SIGINT) may take before remaining connections are cut and the process exits. */
  shutdownTimeoutMs: number
  gitSha: string
  gitBranch: string
  buildNumber: string
  visitsAllocationCron: string
  visitsMaxVisitOrders: number
  visitsPrisonerAttempts: number
  visitsRetryBackoffMs: number
  visitsJobConcurrency: number
  queueSchema: string
  eventsRetryLimit: number
  eventsRetryDelaySeconds: number
  eventsWorkerEnabled: boolean
  eventsPollingSeconds: number
  /** 32 bytes that encrypt subscription secrets; undefined only in the embedded mode (see lib/notifications/secrets.ts). */
  subscriptionSecretKey: Buffer | undefined
  notifyTimeoutMs: number
  notifyRetryLimit: number
  notifyRetryDelaySeconds: number
  /** Where the moves linked from notifications live, as suppliers reach it. */
  publicBaseUrl: string
  smtpUrl: string | undefined
  smtpFrom: string
}>

/** Every problem with the environment, each naming its variable; thrown before any work starts. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map(p => `  - ${p}`).join('\n')}`)
  }
}

const int = (minimum: number, maximum?: number) => ({
  type: 'integer',
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
})
const flag = { type: 'string', format: 'flag' }

/**
 * The environment's schema: each variable is a string as the environment gives it, coerced to
 * its type. Variables that carry secrets are never echoed back in an error.
 */
const schema = {
  type: 'object',
  properties: {
    NODE_ENV: { type: 'string' },
    PORT: int(0, 65535),
    HOST: { type: 'string', minLength: 1 },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://' },
    DATA_DIR: { type: 'string', minLength: 1 },
    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    TOKEN_TTL_SECONDS: int(1),
    AUTH_CACHE_SECONDS: int(0),
    AUTH_FAILURE_LIMIT: int(1),
    AUTH_FAILURE_ADDRESS_LIMIT: int(1),
    AUTH_FAILURE_WINDOW_SECONDS: int(1),
    CRON_ENABLED: flag,
    IDEMPOTENCY_RETENTION_HOURS: int(24),
    IDEMPOTENCY_LOCK_SECONDS: int(1),
    BODY_LIMIT: { type: 'string', pattern: '^[0-9]+(b|kb|mb|gb)?$' },
    RATE_LIMIT_PER_MINUTE: int(1),
    REQUEST_TIMEOUT_MS: int(1000),
    STATEMENT_TIMEOUT_MS: int(100),
    DB_PREPARED_STATEMENTS: int(0),
    SHUTDOWN_TIMEOUT_MS: int(100),
    GIT_SHA: { type: 'string' },
    GIT_BRANCH: { type: 'string' },
    BUILD_NUMBER: { type: 'string' },
    VISITS_ALLOCATION_CRON: { type: 'string', format: 'cron' },
    VISITS_MAX_VISIT_ORDERS: int(1),
    VISITS_PRISONER_ATTEMPTS: int(1),
    VISITS_RETRY_BACKOFF_MS: int(0),
    VISITS_JOB_CONCURRENCY: int(1),
    QUEUE_SCHEMA: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$' },
    EVENTS_RETRY_LIMIT: int(0),
    EVENTS_RETRY_DELAY_SECONDS: int(0),
    EVENTS_WORKER_ENABLED: flag,
    EVENTS_POLLING_SECONDS: int(1),
    SUBSCRIPTION_SECRET_KEY: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
    NOTIFY_TIMEOUT_MS: int(1),
    NOTIFY_RETRY_LIMIT: int(0),
    NOTIFY_RETRY_DELAY_SECONDS: int(0),
    PUBLIC_BASE_URL: { type: 'string', pattern: '^https?://' },
    SMTP_URL: { type: 'string', pattern: '^smtps?://[^/]+' },
    SMTP_FROM: { type: 'string', minLength: 1 },
  },
  // The embedded mode keeps a generated key in DATA_DIR; a shared database needs the same key on every instance.
  if: { required: ['DATABASE_URL'] },
  then: { required: ['SUBSCRIPTION_SECRET_KEY'] },
} as const

const SECRET = new Set(['DATABASE_URL', 'SUBSCRIPTION_SECRET_KEY', 'SMTP_URL'])

type Env = Record<keyof typeof schema.properties, string | number | undefined>

const ajv = new Ajv({ allErrors: true, coerceTypes: true, strict: true, strictRequired: false })
ajv.addFormat('cron', { type: 'string', validate: (value: string) => cron.validate(value) })
ajv.addFormat('flag', /^(true|false|1|0|yes|no|on|off)$/i)
const validate = ajv.compile<Partial<Env>>(schema)

function describe(error: ErrorObject, raw: Record<string, string>): string {
  if (error.keyword === 'required') {
    const name = (error.params as { missingProperty: string }).missingProperty
    return `${name} is required with DATABASE_URL (64 hex characters)`
  }
  const name = error.instancePath.slice(1)
  const format = (error.params as { format?: string }).format
  const message =
    format === 'flag'
      ? 'must be true or false'
      : format === 'cron'
        ? 'must be a cron expression (minute hour day month weekday)'
        : error.keyword === 'enum'
          ? `must be one of ${(error.params as { allowedValues: string[] }).allowedValues.join(', ')}`
          : error.message
  return SECRET.has(name) ? `${name} ${message}` : `${name} ${message}, got "${raw[name]}"`
}

const toFlag = (value: unknown, fallback: boolean) =>
  value === undefined ? fallback : /^(true|1|yes|on)$/i.test(String(value))

/**
 * Reads and validates the environment once, at start; everything below receives the result.
 * Empty variables count as unset. Throws a {@link ConfigError} listing every invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {}
  for (const name of Object.keys(schema.properties)) {
    const value = env[name]
    if (value !== undefined && value !== '') raw[name] = value
  }
  const e: Partial<Env> = { ...raw }
  const problems = validate(e)
    ? []
    : validate.errors!.filter(error => error.keyword !== 'if').map(error => describe(error, raw))
  // Coercion reads "1e400" as Infinity, and ajv checks no bound of a number that is not finite.
  for (const [name, property] of Object.entries(schema.properties)) {
    const value = e[name as keyof Env]
    if ('type' in property && property.type === 'integer' && typeof value === 'number' && !Number.isFinite(value)) {
      problems.push(`${name} must be a whole number, got "${raw[name]}"`)
    }
  }
  if (problems.length) throw new ConfigError(problems)
  const number = (name: keyof Env, fallback: number) => (e[name] === undefined ? fallback : Number(e[name]))
  const string = (name: keyof Env, fallback: string) => (e[name] === undefined ? fallback : String(e[name]))
  const databaseUrl = e.DATABASE_URL === undefined ? undefined : String(e.DATABASE_URL)
  const port = number('PORT', 3000)
  return Object.freeze({
    nodeEnv: string('NODE_ENV', 'development'),
    port,
    host: string('HOST', '0.0.0.0'),
    databaseUrl,
    dataDir: path.resolve(string('DATA_DIR', './.data')),
    logLevel: string('LOG_LEVEL', e.NODE_ENV === 'test' ? 'silent' : 'info'),
    tokenTtlSeconds: number('TOKEN_TTL_SECONDS', 7200),
    authCacheSeconds: number('AUTH_CACHE_SECONDS', 5),
    tokenFailureLimit: number('AUTH_FAILURE_LIMIT', 10),
    tokenFailureAddressLimit: number('AUTH_FAILURE_ADDRESS_LIMIT', 100),
    tokenFailureWindowSeconds: number('AUTH_FAILURE_WINDOW_SECONDS', 900),
    cronEnabled: toFlag(e.CRON_ENABLED, true),
    idempotencyRetentionHours: number('IDEMPOTENCY_RETENTION_HOURS', 24),
    idempotencyLockSeconds: number('IDEMPOTENCY_LOCK_SECONDS', 60),
    bodyLimit: string('BODY_LIMIT', '1mb'),
    rateLimitPerMinute: number('RATE_LIMIT_PER_MINUTE', 6000),
    requestTimeoutMs: number('REQUEST_TIMEOUT_MS', 30_000),
    statementTimeoutMs: number('STATEMENT_TIMEOUT_MS', 15_000),
    preparedStatementLimit: number('DB_PREPARED_STATEMENTS', DEFAULT_PREPARED_STATEMENT_LIMIT),
    shutdownTimeoutMs: number('SHUTDOWN_TIMEOUT_MS', 10_000),
    gitSha: string('GIT_SHA', ''),
    gitBranch: string('GIT_BRANCH', ''),
    buildNumber: string('BUILD_NUMBER', ''),
    visitsAllocationCron: string('VISITS_ALLOCATION_CRON', '0 1 * * *'),
    visitsMaxVisitOrders: number('VISITS_MAX_VISIT_ORDERS', 26),
    visitsPrisonerAttempts: number('VISITS_PRISONER_ATTEMPTS', 3),
    visitsRetryBackoffMs: number('VISITS_RETRY_BACKOFF_MS', 200),
    visitsJobConcurrency: number('VISITS_JOB_CONCURRENCY', 4),
    queueSchema: string('QUEUE_SCHEMA', 'pgboss'),
    eventsRetryLimit: number('EVENTS_RETRY_LIMIT', 3),
    eventsRetryDelaySeconds: number('EVENTS_RETRY_DELAY_SECONDS', 30),
    eventsWorkerEnabled: toFlag(e.EVENTS_WORKER_ENABLED, true),
    eventsPollingSeconds: number('EVENTS_POLLING_SECONDS', 2),
    subscriptionSecretKey:
      e.SUBSCRIPTION_SECRET_KEY === undefined ? undefined : Buffer.from(String(e.SUBSCRIPTION_SECRET_KEY), 'hex'),
    notifyTimeoutMs: number('NOTIFY_TIMEOUT_MS', 10_000),
    notifyRetryLimit: number('NOTIFY_RETRY_LIMIT', 10),
    notifyRetryDelaySeconds: number('NOTIFY_RETRY_DELAY_SECONDS', 30),
    publicBaseUrl: string('PUBLIC_BASE_URL', `http://localhost:${port}`).replace(/\/$/, ''),
    smtpUrl: e.SMTP_URL === undefined ? undefined : String(e.SMTP_URL),
    smtpFrom: string('SMTP_FROM', 'secure-move <notifications@secure-move.invalid>'),
  })
}

import path from 'node:path'

export type Config = Readonly<{
  nodeEnv: string
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  logLevel: string
  tokenTtlSeconds: number
  authCacheSeconds: number
  cronEnabled: boolean
  idempotencyRetentionHours: number
  idempotencyLockSeconds: number
  bodyLimit: string
  rateLimitPerMinute: number
  requestTimeoutMs: number
  statementTimeoutMs: number
  gitSha: string
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

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min)
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`)
  return value
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (/^(true|1|yes|on)$/i.test(raw)) return true
  if (/^(false|0|no|off)$/i.test(raw)) return false
  throw new ConfigError(`${name} must be true or false, got "${raw}"`)
}

function queueSchema(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new ConfigError(`QUEUE_SCHEMA must be a plain schema name, got "${name}"`)
  return name
}

function secretKey(env: NodeJS.ProcessEnv, embedded: boolean): Buffer | undefined {
  const raw = env.SUBSCRIPTION_SECRET_KEY
  if (!raw) {
    if (embedded) return undefined
    throw new ConfigError('SUBSCRIPTION_SECRET_KEY is required with DATABASE_URL (64 hex characters)')
  }
  if (!/^[0-9a-f]{64}$/i.test(raw)) throw new ConfigError('SUBSCRIPTION_SECRET_KEY must be 64 hex characters')
  return Buffer.from(raw, 'hex')
}

function smtpUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined
  if (!/^smtps?:\/\/[^/]+/.test(raw)) throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL')
  return raw
}

/** Reads and validates the environment once, at start; everything below receives the result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL')
  }
  return Object.freeze({
    nodeEnv: env.NODE_ENV || 'development',
    port: integer(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || './.data'),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 7200, 1),
    authCacheSeconds: integer(env, 'AUTH_CACHE_SECONDS', 5),
    cronEnabled: boolean(env, 'CRON_ENABLED', true),
    idempotencyRetentionHours: integer(env, 'IDEMPOTENCY_RETENTION_HOURS', 24, 24),
    idempotencyLockSeconds: integer(env, 'IDEMPOTENCY_LOCK_SECONDS', 60, 1),
    bodyLimit: env.BODY_LIMIT || '1mb',
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 6000, 1),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1000),
    statementTimeoutMs: integer(env, 'STATEMENT_TIMEOUT_MS', 15_000, 100),
    gitSha: env.GIT_SHA || '',
    visitsAllocationCron: env.VISITS_ALLOCATION_CRON || '0 1 * * *',
    visitsMaxVisitOrders: integer(env, 'VISITS_MAX_VISIT_ORDERS', 26, 1),
    visitsPrisonerAttempts: integer(env, 'VISITS_PRISONER_ATTEMPTS', 3, 1),
    visitsRetryBackoffMs: integer(env, 'VISITS_RETRY_BACKOFF_MS', 200),
    visitsJobConcurrency: integer(env, 'VISITS_JOB_CONCURRENCY', 4, 1),
    queueSchema: queueSchema(env.QUEUE_SCHEMA || 'pgboss'),
    eventsRetryLimit: integer(env, 'EVENTS_RETRY_LIMIT', 3),
    eventsRetryDelaySeconds: integer(env, 'EVENTS_RETRY_DELAY_SECONDS', 30),
    eventsWorkerEnabled: boolean(env, 'EVENTS_WORKER_ENABLED', true),
    eventsPollingSeconds: integer(env, 'EVENTS_POLLING_SECONDS', 2, 1),
    subscriptionSecretKey: secretKey(env, !databaseUrl),
    notifyTimeoutMs: integer(env, 'NOTIFY_TIMEOUT_MS', 10_000, 1),
    notifyRetryLimit: integer(env, 'NOTIFY_RETRY_LIMIT', 10),
    notifyRetryDelaySeconds: integer(env, 'NOTIFY_RETRY_DELAY_SECONDS', 30),
    publicBaseUrl: (env.PUBLIC_BASE_URL || `http://localhost:${integer(env, 'PORT', 3000)}`).replace(/\/$/, ''),
    smtpUrl: smtpUrl(env.SMTP_URL),
    smtpFrom: env.SMTP_FROM || 'secure-move <notifications@secure-move.invalid>',
  })
}

import express, { type Express } from 'express'
import type { Knex } from 'knex'
import supertest from 'supertest'
import { createApp } from '../../api/app'
import { seedDemoData } from '../../scripts/seeds'
import { createClient, issueToken } from '../../lib/auth/clients'
import { systemClock, type Clock } from '../../lib/clock'
import { loadConfig } from '../../lib/config'
import { createLogger, type Logger } from '../../lib/log'
import { createServices, type Services } from '../../lib/services'
import { writeWith, type Write } from '../../lib/write'
import { contractRecorder } from './contract'
import { testDb, testSchema } from './db'

export async function testServices(
  options: { clock?: Clock; env?: Record<string, string>; log?: Logger } = {},
): Promise<Services> {
  const db = await testDb()
  const config = loadConfig({
    NODE_ENV: 'test',
    QUEUE_SCHEMA: testSchema() ?? 'pgboss',
    EVENTS_RETRY_DELAY_SECONDS: '0',
    EVENTS_POLLING_SECONDS: '1',
    SUBSCRIPTION_SECRET_KEY: '5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7',
    NOTIFY_RETRY_DELAY_SECONDS: '0',
    ...options.env,
  })
  const services = createServices({
    db,
    config,
    clock: options.clock ?? systemClock,
    log: options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  })
  await services.queue.start()
  // After the queue starts: the demo prisoners' receptions publish their domain events on it.
  await seedDemoData(db, services)
  return services
}

export function testApp(services: Services): Express {
  const app = express()
  app.use(contractRecorder)
  app.use(createApp(services))
  return app
}

export type TestClient = { clientId: string; clientSecret: string; token: string; id: string }

let counter = 0

/** A registered client with a live token: a supplier's when `supplier` is given, else the frontend's. */
export async function testClient(
  services: Services,
  options: { supplier?: string; roles?: string[] } = {},
): Promise<TestClient> {
  const { client, clientSecret } = await createClient(services.db, {
    name: `test-client-${++counter}`,
    supplierKey: options.supplier,
    roles: options.roles,
  })
  const token = await issueToken(
    services.db,
    services.clock,
    services.config.tokenTtlSeconds,
    client.clientId,
    clientSecret,
  )
  return { clientId: client.clientId, clientSecret, token: token!.access_token, id: client.id }
}

export const V2 = 'application/vnd.api+json; version=2'

/** supertest over the app, with the bearer token and version 2 Accept header already set. */
export function as(app: Express, client: TestClient) {
  const agent = supertest(app)
  const auth = <T extends supertest.Test>(test: T) =>
    test.set('Authorization', `Bearer ${client.token}`).set('Accept', V2)
  return {
    get: (url: string) => auth(agent.get(url)),
    post: (url: string) => auth(agent.post(url)),
    patch: (url: string) => auth(agent.patch(url)),
    put: (url: string) => auth(agent.put(url)),
    delete: (url: string) => auth(agent.delete(url)),
  }
}

/** What a use case is handed, in transaction `tx`: the services' outboxes, and their clock unless another is given. */
export function testWrite(services: Services, tx: Knex.Transaction, clock: Clock = services.clock): Write {
  return { ...writeWith(services, tx), clock }
}

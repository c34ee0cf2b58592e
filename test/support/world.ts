import type { Express } from 'express'
import type { Clock } from '../../lib/clock'
import type { Logger } from '../../lib/log'
import type { Services } from '../../lib/services'
import { testApp, testClient, testServices, type TestClient } from './app'

/**
 * The one test world of a run: services over the run's database (demo data loaded), the app under
 * test (with the contract recorder in front), and a registered client with a live token for each
 * kind of caller. Tests share it, so each creates the rows it asserts on (the builders in
 * ./builders.ts give every move its own date) rather than counting on what others left.
 */
export type World = {
  services: Services
  app: Express
  /** A client with no supplier and no role: the frontend (full rights on /api). */
  frontend: TestClient
  /** The serco supplier's client. */
  serco: TestClient
  /** The geoamey supplier's client. */
  geoamey: TestClient
  /** A client with only the `admin` role (reference data, clients, subscriptions). */
  admin: TestClient
  /**
   * A further client of this world: a supplier's when `supplier` is given, with exactly `roles`
   * (for a client with only another role, `{ roles: ['nomis'] }`). Each call registers a new one.
   */
  clientWith(options: { supplier?: string; roles?: string[] }): Promise<TestClient>
}

/** How a variant world differs from the shared one; see {@link variantWorld}. */
export type WorldOptions = { clock?: Clock; env?: Record<string, string>; log?: Logger }

/**
 * The shared world's settings. The per-client rate limit and the token-failure throttles count
 * per app instance; one app now takes the whole run's traffic, so they are lifted here. The suites
 * about those limits build a variant with the limits they test.
 */
const SHARED_ENV: Record<string, string> = {
  RATE_LIMIT_PER_MINUTE: '1000000',
  AUTH_FAILURE_LIMIT: '1000000',
  AUTH_FAILURE_ADDRESS_LIMIT: '1000000',
}

let shared: Promise<World> | undefined

/**
 * The shared world, built on first use (the root hook in ./hooks.ts builds it before any suite)
 * and the same object after. Await it in a `before`:
 * `before(async () => ({ services, app, frontend } = await testWorld()))`.
 */
export async function testWorld(): Promise<World> {
  shared ??= build({ env: SHARED_ENV })
  const world = await shared
  // The queue names itself, on start, as the publisher of domain events and notifications (module
  // state in lib/), and a variant world started since may have taken over: take it back.
  await world.services.queue.start()
  return world
}

/**
 * A world of its own on the same database, for a suite that needs what the shared one cannot give
 * (a fixed clock, AUTH_CACHE_SECONDS=0 to count statements, a tight rate limit, a log to read).
 * Its clients are issued on its own clock. Costs a queue start and four clients: prefer
 * {@link testWorld}. Stop its queue (`world.services.queue.stop()`) if the suite runs workers.
 */
export async function variantWorld(options: WorldOptions): Promise<World> {
  return build(options)
}

async function build(options: WorldOptions): Promise<World> {
  const services = await testServices(options)
  const [frontend, serco, geoamey, admin] = await Promise.all([
    testClient(services),
    testClient(services, { supplier: 'serco' }),
    testClient(services, { supplier: 'geoamey' }),
    testClient(services, { roles: ['admin'] }),
  ])
  return {
    services,
    app: testApp(services),
    frontend,
    serco,
    geoamey,
    admin,
    clientWith: clientOptions => testClient(services, clientOptions),
  }
}

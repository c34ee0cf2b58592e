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
 * about those limits build a variant with the limits they test. The token cache is off so that
 * every request looks its token up: the suites that count statements see the same count whichever
 * test ran before (the cache itself is tested in test/platform/auth.test.ts, on a variant).
 */
const SHARED_ENV: Record<string, string> = {
  AUTH_CACHE_SECONDS: '0',
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
  return shared
}

/**
 * A world of its own on the same database, for a suite that needs what the shared one cannot give
 * (a fixed clock, a tight rate limit or body limit, a log to read, workers on its queue).
 * Its clients are issued on its own clock. Costs a queue start and four clients: prefer
 * {@link testWorld}, except for a suite that runs workers on the queue (`queue.work()`): that needs a
 * variant, whose queue it stops after; the shared world's queue is never stopped.
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

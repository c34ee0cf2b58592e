import type { Express } from 'express'
import supertest from 'supertest'
import { ROLES } from '../../lib/auth/clients'
import type { TestClient } from '../support/app'

/**
 * A plain-JSON client for /nomisapi, /visits and /queue-admin: the bearer token set, no JSON:API
 * Accept header. `null` sends no token.
 */
export function plainJson(app: Express, client: TestClient | null) {
  const agent = supertest(app)
  const auth = <T extends supertest.Test>(t: T) => (client ? t.set('Authorization', `Bearer ${client.token}`) : t)
  return {
    get: (url: string) => auth(agent.get(url)),
    post: (url: string) => auth(agent.post(url)),
    put: (url: string) => auth(agent.put(url)),
    patch: (url: string) => auth(agent.patch(url)),
    delete: (url: string) => auth(agent.delete(url)),
  }
}

/** Every role the service knows (lib/auth/clients.ts), for a client that may call any operation. */
export const ALL_ROLES = [...ROLES]

export const NUL = 'before\u0000after'
export const LONE_SURROGATE = 'before\uD800after'

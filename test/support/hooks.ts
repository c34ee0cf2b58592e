import { testServices } from './app'
import { closeTestDb } from './db'
import { violations } from './contract'

process.env.NODE_ENV = 'test'

export const mochaHooks = {
  // Migrating and loading the demo data takes a while on a busy machine; pay for it once, here.
  async beforeAll(this: Mocha.Context) {
    this.timeout(180_000)
    await testServices()
  },
  afterEach(this: Mocha.Context) {
    if (violations.length) {
      const found = violations.splice(0)
      throw new Error(`responses broke the contract:\n${found.join('\n')}`)
    }
  },
  async afterAll() {
    await closeTestDb()
  },
}

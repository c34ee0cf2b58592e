import { closeTestDb } from './db'
import { violations } from './contract'
import { testWorld } from './world'

process.env.NODE_ENV = 'test'

export const mochaHooks = {
  // Migrating, loading the demo data and registering the shared world's clients takes a while on a
  // busy machine; pay for it once, here.
  async beforeAll(this: Mocha.Context) {
    this.timeout(180_000)
    await testWorld()
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

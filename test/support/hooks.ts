import { closeTestDb, testDb } from './db'
import { violations } from './contract'

process.env.NODE_ENV = 'test'

export const mochaHooks = {
  // Creating, migrating and seeding the shared database is the run's cost, not the first test file's.
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000)
    await testDb()
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

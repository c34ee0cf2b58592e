import { closeTestDb } from './db'
import { violations } from './contract'

process.env.NODE_ENV = 'test'

export const mochaHooks = {
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

import { expect } from 'chai'
import { ConfigError, loadConfig } from '../../lib/config'

/*
 * ajv coerces "1e400" to Infinity, which satisfies `integer` and both of its bounds: without a finiteness
 * check PORT=1e400 read as Infinity and DB_PREPARED_STATEMENTS=1e400 lifted the prepared-statement cap.
 */
describe('Configuration: numbers beyond any finite value', () => {
  it('when an integer variable is written as 1e400 or -1e400, then it is reported by name, not read as Infinity', () => {
    let thrown: unknown
    let config: ReturnType<typeof loadConfig> | undefined
    try {
      config = loadConfig({ PORT: '1e400', DB_PREPARED_STATEMENTS: '1e400', STATEMENT_TIMEOUT_MS: '-1e400' })
    } catch (err) {
      thrown = err
    }
    expect(
      thrown,
      `accepted: port ${config?.port}, prepared statements ${config?.preparedStatementLimit}`,
    ).to.be.instanceOf(ConfigError)
    const problems = (thrown as ConfigError).problems
    expect(problems.map(p => p.split(' ')[0])).to.have.members([
      'PORT',
      'DB_PREPARED_STATEMENTS',
      'STATEMENT_TIMEOUT_MS',
    ])
    expect(problems).to.include('PORT must be a whole number, got "1e400"')
  })
})

import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'chai'
import { ConfigError, loadConfig } from '../../lib/config'

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env)
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError)
    return (err as ConfigError).problems
  }
  throw new Error('the configuration was accepted')
}

describe('Configuration validated before any work', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({})
    expect(config).to.include({
      port: 3000,
      logLevel: 'info',
      bodyLimit: '1mb',
      cronEnabled: true,
      shutdownTimeoutMs: 10_000,
      visitsAllocationCron: '0 1 * * *',
      preparedStatementLimit: 50,
    })
  })

  it('when values are valid, then they are read with their types', () => {
    const config = loadConfig({
      PORT: '8080',
      CRON_ENABLED: 'FALSE',
      BODY_LIMIT: '200kb',
      LOG_LEVEL: 'debug',
      DB_PREPARED_STATEMENTS: '0',
    })
    expect(config).to.include({
      port: 8080,
      cronEnabled: false,
      bodyLimit: '200kb',
      logLevel: 'debug',
      preparedStatementLimit: 0,
    })
  })

  it('when several variables are wrong, then every one is reported at once, by name', () => {
    const found = problems({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      VISITS_ALLOCATION_CRON: 'every night',
      BODY_LIMIT: 'a lot',
      SHUTDOWN_TIMEOUT_MS: 'soon',
      CRON_ENABLED: 'maybe',
      QUEUE_SCHEMA: 'Drop Table',
      DB_PREPARED_STATEMENTS: '-1',
    })
    const named = found.map(p => p.split(' ')[0])
    expect(named).to.have.members([
      'PORT',
      'LOG_LEVEL',
      'VISITS_ALLOCATION_CRON',
      'BODY_LIMIT',
      'SHUTDOWN_TIMEOUT_MS',
      'CRON_ENABLED',
      'QUEUE_SCHEMA',
      'DB_PREPARED_STATEMENTS',
    ])
    expect(found.find(p => p.startsWith('LOG_LEVEL'))).to.contain('"loud"')
  })

  it('when a secret is wrong, then the problem is reported without echoing the value', () => {
    const found = problems({ DATABASE_URL: 'mysql://user:hunter2@db/x', SUBSCRIPTION_SECRET_KEY: 'hunter2' })
    expect(found).to.have.length(2)
    expect(found.join('\n')).not.to.contain('hunter2')
  })

  it('when DATABASE_URL is set without SUBSCRIPTION_SECRET_KEY, then the key is named as required', () => {
    expect(problems({ DATABASE_URL: 'postgres://localhost/x' })).to.deep.equal([
      'SUBSCRIPTION_SECRET_KEY is required with DATABASE_URL (64 hex characters)',
    ])
  })

  it('when the server starts with a bad variable, then it exits 1 naming it, before the database is touched', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-move-config-'))
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'server.ts'], {
        cwd: path.join(__dirname, '..', '..'),
        env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: 'eighty', LOG_LEVEL: 'loud' },
        encoding: 'utf8',
      })
      expect(run.status).to.equal(1)
      expect(run.stderr).to.contain('PORT must be integer, got "eighty"')
      expect(run.stderr).to.contain('LOG_LEVEL must be one of')
      expect(run.stderr).not.to.match(/\bat .*\.ts:\d+/)
      expect(fs.readdirSync(dataDir)).to.deep.equal([])
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

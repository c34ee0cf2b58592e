import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'chai'

const root = path.join(__dirname, '..', '..')
const fixtures = path.join(__dirname, 'layers')
const cli = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')
const config = path.join(root, '.dependency-cruiser.mjs')

/** Runs the layer rules `npm run lint` runs on one fixture tree: its exit code and what it said. */
async function cruise(fixture: string): Promise<{ code: number; output: string }> {
  const cwd = path.join(fixtures, fixture)
  const layers = ['machines', 'lib', 'api', 'db'].filter(dir => fs.existsSync(path.join(cwd, dir)))
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, '--config', config, ...layers], { cwd })
    return { code: 0, output: stdout }
  } catch (error) {
    const failed = error as { code: number; stdout: string }
    return { code: failed.code, output: failed.stdout }
  }
}

describe('Layer rules, enforced by npm run lint (.dependency-cruiser.mjs)', function () {
  this.timeout(60_000)

  it('when every layer imports only what it may, then the rules pass', async () => {
    const { code, output } = await cruise('clean')
    expect(code, output).to.equal(0)
  })

  const broken: { rule: string; what: string; edge: string; target?: string }[] = [
    {
      rule: 'machines-import-nothing-of-ours',
      what: 'a machine imports lib/',
      edge: 'machines/move.ts → lib/clock.ts',
    },
    { rule: 'lib-never-imports-api', what: 'lib/ imports api/', edge: 'lib/moves.ts → api/context.ts' },
    {
      rule: 'lib-never-imports-express',
      what: 'lib/ imports express',
      edge: 'lib/moves.ts → ',
      target: 'node_modules/express/',
    },
    {
      rule: 'db-imports-no-use-case',
      what: 'a migration imports a use case',
      edge: 'db/migrations/20260101000000_moves.ts → lib/moves.ts',
    },
  ]
  for (const { rule, what, edge, target } of broken) {
    it(`when ${what}, then lint fails naming ${rule}`, async () => {
      const { code, output } = await cruise(rule)
      expect(code, output).to.not.equal(0)
      expect(output).to.contain(`error ${rule}: ${edge}`)
      if (target) expect(output).to.contain(target)
    })
  }
})

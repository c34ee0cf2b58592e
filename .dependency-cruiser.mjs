/**
 * Layer rules, checked by `npm run lint`. Paths are relative to the
 * directory depcruise runs in, so test/platform/layers.test.ts can run the same rules on fixtures.
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'machines-import-nothing-of-ours',
      comment: 'State machines are pure: they may use xstate and Node, never our own modules outside machines/.',
      severity: 'error',
      from: { path: '^machines/' },
      to: { pathNot: ['^machines/', '(^|/)node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'lib-never-imports-api',
      comment: 'Use cases know nothing of HTTP: the edge (api/) calls lib/, never the other way round.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^api/' },
    },
    {
      name: 'lib-never-imports-express',
      comment: 'Use cases know nothing of HTTP: requests and responses stay in api/.',
      severity: 'error',
      from: { path: '^lib/' },
      to: {
        path: '(^|/)node_modules/(express|@types/express|express-serve-static-core|@types/express-serve-static-core)/',
      },
    },
    {
      name: 'db-imports-no-use-case',
      comment:
        'db/ (migrations, row-only seeds) must give the same schema and data forever: knex and Node only, never lib/, api/ or scripts/, whose code changes. Seeds that need use cases live in scripts/seeds/.',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: '^(lib|api|scripts|machines)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json', '.d.ts'] },
  },
}

import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'

/**
 * The one write path (issue #13, DESIGN.md "The two paths"): only these open a transaction. Every
 * HTTP write runs in api/writePath.ts's; scheduled jobs and queue workers open their own and call the
 * same use cases, which never open one.
 */
export const TRANSACTION_OWNERS = [
  'api/writePath.ts',
  'lib/assessments/frameworkLoader.ts',
  'lib/gps/qualityReportJob.ts',
  'lib/nomis/storedPaymentsJob.ts',
  'lib/notifications/delivery.ts',
  'lib/visits/allocationJob.ts',
  'lib/visits/events.ts',
]
const noTransaction = {
  selector: "CallExpression[callee.property.name='transaction']",
  message:
    'Only the write path (api/writePath.ts), scheduled jobs and queue workers open a transaction: take { tx } from the caller (lib/write.ts).',
}
const noModuleState = {
  selector: ":matches(Program, ExportNamedDeclaration) > VariableDeclaration[kind!='const']",
  message:
    'No module-level mutable state in lib/: the composition root (lib/services.ts) builds what is shared and injects it.',
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'server.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['api/**/*.ts'],
    ignores: TRANSACTION_OWNERS,
    rules: { 'no-restricted-syntax': ['error', noTransaction] },
  },
  {
    files: ['lib/**/*.ts'],
    ignores: TRANSACTION_OWNERS,
    rules: { 'no-restricted-syntax': ['error', noTransaction, noModuleState] },
  },
  {
    files: TRANSACTION_OWNERS.filter(file => file.startsWith('lib/')),
    rules: { 'no-restricted-syntax': ['error', noModuleState] },
  },
)

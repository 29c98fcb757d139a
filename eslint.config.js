// Lint, including the layer boundaries — enforced here, not by memory.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restricted = (paths, patterns = []) => ['error', { paths, patterns }];
const worldPackages = ['simple-git', 'execa', 'child_process', 'node:child_process'].map((name) => ({ name, message: 'only src/adapters/ may talk to git and processes' }));
const upward = [{ group: ['**/commands/**', '**/cli.js', '**/main.js'], message: 'commands sit on top: lower layers do not import them' }];
const fileSystem = ['fs', 'fs/promises', 'node:fs', 'node:fs/promises'].map((name) => ({ name, message: 'the file system is reached through ctx.fs (src/adapters/fs.ts); only src/adapters and src/main.ts import it' }));
const adapterTypes = { group: ['**/adapters/**'], allowTypeImports: true, message: 'take adapters as ports from the context: import their types only (`import type`)' };
const noUi = { group: ['**/ui/**'], message: 'src/engine and src/ledger render nothing: output belongs to src/ui, called from the commands' };
const nodeWorld = ['fs', 'fs/promises', 'child_process', 'os', 'net', 'http', 'https', 'process'].flatMap((m) => [
  { name: m, message: 'src/core is pure: take data in, give data out' },
  { name: `node:${m}`, message: 'src/core is pure: take data in, give data out' },
]);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.bench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', TextDecoder: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Everything outside src/adapters: no processes or git, and (but for main.ts) no file system.
    files: ['src/**/*.ts'],
    ignores: ['src/adapters/**', 'src/core/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': restricted([...worldPackages, ...fileSystem]),
    },
  },
  {
    files: ['src/main.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restricted(worldPackages) },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restricted([...worldPackages, ...nodeWorld, { name: 'chalk', message: 'colour belongs to src/ui' }], [
        { group: ['**/adapters/**', '**/engine/**', '**/commands/**', '**/ui/**', '**/ledger/**'], message: 'src/core imports only core modules' },
      ]),
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core is pure: no process' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'inject the clock' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'inject the clock' },
      ],
    },
  },
  {
    // The layers above the adapters take them as ports from the context: their types, never their code.
    // Lower layers never reach up into the command files, and the engine and the ledger render nothing
    // (a later rule replaces an earlier one, so each layer's list is complete).
    files: ['src/commands/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restricted([...worldPackages, ...fileSystem], [adapterTypes]) },
  },
  {
    files: ['src/ui/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restricted([...worldPackages, ...fileSystem], [adapterTypes, ...upward]) },
  },
  {
    files: ['src/engine/**/*.ts', 'src/ledger/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restricted([...worldPackages, ...fileSystem], [adapterTypes, ...upward, noUi]) },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: { 'no-restricted-imports': restricted([], [{ group: ['**/ui/**', '**/engine/**', '**/commands/**', '**/cli.js', '**/main.js'], message: 'adapters are the bottom layer: they do not import ui, engine or commands' }]) },
  },
  {
    // Problem lines are `file:line:col  path  message`: two spaces are the format.
    files: ['test/**/*.ts'],
    rules: { 'no-regex-spaces': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'exit', message: 'only main.ts decides exit codes' },
        { object: 'process', property: 'env', message: 'read ctx.env' },
        { object: 'process', property: 'cwd', message: 'read ctx.cwd' },
      ],
    },
  },
);

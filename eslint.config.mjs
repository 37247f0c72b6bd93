// Lint for every TypeScript source: typescript-eslint's recommended rules and
// import-x's cycle check, so the layers stay a graph that points one way
// (`npm run lint`, run by CI). Generated code and builds are not linted.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/__generated__/**', 'web/src/gql/**', '.scratch/**', 'bench/results/**', '.data/**'],
  },
  js.configs.recommended,
  {
    // The few CommonJS and ES module files beside the TypeScript: Node's globals.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  // CommonJS modules that Node or jest load with require() import with it too.
  { files: ['**/*.cjs', 'jest.config.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  importX.flatConfigs.typescript,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'web/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
);

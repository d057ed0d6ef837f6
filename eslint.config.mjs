// ESLint for every workspace: typescript-eslint's recommended rules on the TypeScript sources, ESLint's on the
// plain JavaScript tools; formatting is Prettier's job (`npm run format:check`), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'grader/examples/submissions/gus.ts',
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.venv/**',
      '**/.nx/**',
      '**/coverage/**',
      '.test-results/**',
    ],
  },
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.jest }, sourceType: 'commonjs' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'off',
      // Stripping terminal escapes and control characters out of untrusted text is what those patterns are for.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read free-form JSON replies and reports; typing every one of them would only restate the assertions.
    files: ['**/*.test.ts', '**/*test-kit.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Student submissions and hostile fixtures are written to misbehave on purpose: lint only what we ship and run.
    files: ['grader/fixtures/**', 'grader/examples/**'],
    rules: {
      'no-empty': 'off',
      'no-constant-condition': 'off',
      'no-global-assign': 'off',
      'no-prototype-builtins': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-this-alias': 'off',
    },
  },
);

/**
 * Type-checking is done once by `tsc --noEmit` (npm test); ts-jest only transpiles (tsconfig isolatedModules).
 * PGlite loads its WASM through a dynamic import, hence `--experimental-vm-modules` in the test script.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  testTimeout: 30000,
};

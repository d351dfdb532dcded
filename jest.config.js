/**
 * Type-checking is done once by `tsc --noEmit` (npm test); ts-jest only transpiles (tsconfig isolatedModules).
 * PGlite loads its WASM through a dynamic import, hence `--experimental-vm-modules` in the test script.
 * Tests run in a random order within each file, every run: no test may lean on another having run first. The
 * summary prints the seed; `--seed=<n>` replays that order.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  testTimeout: 30000,
  randomize: true,
};

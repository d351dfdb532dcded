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
  // Two workers on CI's two cores: most suites wait on servers and sockets rather than compute, and one worker (jest's
  // default there: cores - 1) kept a core idle and took the suite past CI's time budget.
  maxWorkers: 2,
  randomize: true,
};

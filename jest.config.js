/** Unit tests run alone; integration tests share one real system (PostgreSQL + engine + workers + server) started by globalSetup. */
// Tests are transpiled one file at a time (tsconfig: isolatedModules) for speed; `npm run typecheck` checks their types, tests included.
const transform = { '^.+\\.ts$': 'ts-jest' };

module.exports = {
  testTimeout: 60000,
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, roots: ['<rootDir>/tests/unit'], testMatch: ['**/*.test.ts'] },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      roots: ['<rootDir>/tests/integration'],
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/tests/integration/setup/global-setup.ts',
      globalTeardown: '<rootDir>/tests/integration/setup/global-teardown.ts',
    },
  ],
};

/** Browser tests of the web apps in a real Chromium (CHROMIUM_PATH, default /usr/bin/chromium) against the system the integration setup starts. Not part of `npm test`. */
module.exports = {
  testTimeout: 120000,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['**/*.e2e.ts'],
  globalSetup: '<rootDir>/tests/integration/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/integration/setup/global-teardown.ts',
};

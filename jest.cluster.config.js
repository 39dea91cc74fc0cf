/** The cluster tests (`npm run test:cluster`): several engines, workers and servers as separate processes on one PostgreSQL, with crashes. Not part of `npm test`. */
module.exports = {
  testTimeout: 15 * 60_000,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  roots: ['<rootDir>/tests/cluster'],
  testMatch: ['**/*.cluster.ts'],
};

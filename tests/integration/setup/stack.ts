/** Where the integration tests find the system that globalSetup started (ports chosen not to collide with `npm start`). */
export const TEST_PORTS = {
  api: Number(process.env.TEST_PORT ?? 3190),
  engine: Number(process.env.TEST_ENGINE_PORT ?? 18090),
  pg: Number(process.env.TEST_PG_PORT ?? 54341),
};

export const stack = {
  api: `http://127.0.0.1:${TEST_PORTS.api}`,
  engine: `http://127.0.0.1:${TEST_PORTS.engine}/engine-rest`,
  db: `postgres://hotline:hotline-embedded@127.0.0.1:${TEST_PORTS.pg}/hotline`,
  dataDir: '.data/test-pg',
};

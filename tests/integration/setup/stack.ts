/** Where the integration tests find the system that globalSetup started (ports chosen not to collide with `npm start`). */
import { systemUrls } from '../../../scripts/lib/system-process';

export const TEST_PORTS = {
  api: Number(process.env.TEST_PORT ?? 3190),
  engine: Number(process.env.TEST_ENGINE_PORT ?? 18090),
  pg: Number(process.env.TEST_PG_PORT ?? 54341),
};

export const stack = { ...systemUrls(TEST_PORTS), dataDir: `.data/test-pg-${TEST_PORTS.pg}` };

/** Every test file logs its users in again; the login limit of the test system leaves room for that. */
export const LOGIN_RATE_LIMIT = 100;

/** Where the integration tests find the system that globalSetup started (ports chosen not to collide with `npm start`). */
import { systemUrls } from '../../../scripts/lib/system-process';

export const TEST_PORTS = {
  api: Number(process.env.TEST_PORT ?? 3190),
  engine: Number(process.env.TEST_ENGINE_PORT ?? 18090),
  pg: Number(process.env.TEST_PG_PORT ?? 54341),
};

const dataDir = `.data/test-pg-${TEST_PORTS.pg}`;
const urls = systemUrls(TEST_PORTS, dataDir);

export const stack = {
  api: urls.api,
  engine: urls.engine,
  dataDir,
  /** The embedded superuser (direct checks and fixtures); read after the system started. */
  get db() {
    return urls.db;
  },
};

/** Every test file logs its users in again; the login limit of the test system leaves room for that. */
export const LOGIN_RATE_LIMIT = 100;

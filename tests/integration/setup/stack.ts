/**
 * Where the integration tests find the system that globalSetup started (ports chosen not to collide with
 * `npm start`). Read from the environment when asked: globalSetup may replace a taken default port first.
 */
import { systemUrls } from '../../../scripts/lib/system-process';

export const TEST_PORTS = {
  get api() {
    return Number(process.env.TEST_PORT ?? 3190);
  },
  get engine() {
    return Number(process.env.TEST_ENGINE_PORT ?? 18090);
  },
  get pg() {
    return Number(process.env.TEST_PG_PORT ?? 54341);
  },
};

const urls = () => systemUrls(TEST_PORTS, stack.dataDir);

export const stack = {
  get api() {
    return urls().api;
  },
  get engine() {
    return urls().engine;
  },
  get dataDir() {
    return `.data/test-pg-${TEST_PORTS.pg}`;
  },
  /** The embedded superuser (direct checks and fixtures); read after the system started. */
  get db() {
    return urls().db;
  },
};

/** Every test file logs its users in again; the login limit of the test system leaves room for that. */
export const LOGIN_RATE_LIMIT = 100;

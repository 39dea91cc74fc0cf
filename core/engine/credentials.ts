/**
 * The engine REST API's service account: every call of the server, the workers and the tests carries it as
 * HTTP basic authentication, and the engine creates the user at its start (engine/…/ServiceAccount.java).
 * ENGINE_SERVICE_PASSWORD sets the password (the same on every machine of a deployment); unset, it is
 * generated at first use into `.data/engine-service-password` (mode 0600, git-ignored), which every process
 * of one checkout reads.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';

export interface ServiceAccount {
  user: string;
  password: string;
}

export const servicePasswordFile = (rootDir: string) => path.join(rootDir, '.data', 'engine-service-password');

export function serviceAccount(config: Pick<Config, 'rootDir' | 'engine'>): ServiceAccount {
  const user = config.engine.serviceUser;
  if (config.engine.servicePassword) return { user, password: config.engine.servicePassword };
  const file = servicePasswordFile(config.rootDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // 'wx': of several processes starting at once, one writes and the others read its password
    fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  for (let i = 0; ; i++) {
    const password = fs.readFileSync(file, 'utf8').trim();
    if (password || i > 50) return { user, password };
    // another process has created the file but not yet written it
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

/** The Authorization header value of the account. */
export const basicAuth = (a: ServiceAccount) => `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}`;

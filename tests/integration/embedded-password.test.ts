/**
 * ASVS V2.10.4 no fixed database password: an embedded cluster made before passwords were generated (the old
 * fixed password, no password file) gets a generated password at its next start, and restarts with it.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { TEST_PORTS } from './setup/stack';

const root = path.resolve(__dirname, '../..');
const port = TEST_PORTS.pg + 7;
const dir = path.join(root, `.data/test-legacy-pg-${port}`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ASVS V2.10.4 the embedded superuser password is never the fixed one', () => {
  it('a cluster from before (fixed password, no file) gets a generated password at its next start, and restarts with it', () => {
    const env = { ...process.env };
    delete env.EMBEDDED_PG_PASSWORD;
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'tests/integration/fixtures/legacy-cluster.ts', dir, String(port)], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 110_000,
    });
    const rounds = JSON.parse(out.trim().split('\n').at(-1)!);
    const round = { passwordLength: expect.any(Number), mode: 0o600, generatedLogsIn: true, fixedLogsIn: false, managedRoles: true };
    expect(rounds).toEqual([round, round]);
    expect(rounds[0].passwordLength).toBeGreaterThanOrEqual(24);
  }, 120_000);
});

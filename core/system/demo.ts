/**
 * No fail-open defaults: the demo's public credentials never reach production. Production refuses to start
 * while a demo account, or any account whose password is the demo password, exists; `npm run demo:remove`
 * (scripts/remove-demo.ts) removes them.
 */
import bcrypt from 'bcryptjs';
import type { DataSource } from 'typeorm';
import { ConfigError } from '../config';
import { DEMO_PASSWORD, demoAccounts } from '../db/seed';

export const DEMO_REMOVE_COMMAND = 'npm run demo:remove';

interface Account {
  username: string;
  password_hash: string;
}

/** Accounts that log in with the demo password (each distinct hash is checked once: the demo seed shares one). */
export async function demoPasswordAccounts(ds: DataSource): Promise<string[]> {
  const rows = (await ds.query(`SELECT username, password_hash FROM users ORDER BY username`)) as Account[];
  const verdicts = new Map<string, boolean>();
  const found: string[] = [];
  for (const r of rows) {
    if (!verdicts.has(r.password_hash))
      verdicts.set(r.password_hash, /^\$2[aby]\$/.test(r.password_hash) && (await bcrypt.compare(DEMO_PASSWORD, r.password_hash)));
    if (verdicts.get(r.password_hash)) found.push(r.username);
  }
  return found;
}

/** Stops a production start while demo credentials are in use, naming the accounts and the command that removes them. */
export async function assertNoDemoAccounts(ds: DataSource): Promise<void> {
  const found = await demoPasswordAccounts(ds);
  if (found.length === 0) return;
  const shown = `${found.slice(0, 5).join(', ')}${found.length > 5 ? ` … (${found.length})` : ''}`;
  throw new ConfigError(
    'HOTLINE_MODE',
    `is production, but accounts with the public demo password exist (${shown}); remove them with \`${DEMO_REMOVE_COMMAND}\` / 生产模式下存在使用演示密码的账号，请先运行 ${DEMO_REMOVE_COMMAND}`,
  );
}

/**
 * Deletes the seeded demo accounts that still have the demo password, and disables any other account with
 * that password (its owner sets a new one through an admin). Returns what it did.
 */
export async function removeDemoAccounts(ds: DataSource): Promise<{ deleted: string[]; disabled: string[] }> {
  const found = await demoPasswordAccounts(ds);
  const seeded = new Set(demoAccounts().map((a) => a.username));
  const deleted = found.filter((u) => seeded.has(u));
  const disabled = found.filter((u) => !seeded.has(u));
  if (deleted.length) await ds.query(`DELETE FROM users WHERE username = ANY($1)`, [deleted]);
  if (disabled.length)
    await ds.query(`UPDATE users SET active = false, password_hash = '!disabled', token_version = token_version + 1 WHERE username = ANY($1)`, [disabled]);
  return { deleted, disabled };
}

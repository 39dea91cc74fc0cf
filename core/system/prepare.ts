/**
 * Brings the application database up to date, as its administrator: migrations, the holiday calendar, the
 * network, and the accounts — the demo accounts in demo mode; in production only a first `admin`, from
 * ADMIN_INITIAL_PASSWORD, when no admin exists yet (no default password exists outside demo mode), and no
 * start at all while demo credentials remain. Then the least-privilege roles the system runs as (core/db/roles.ts).
 */
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createCalendarRepository } from '../calendar/repository';
import type { DatabaseHandle } from '../db/postgres';
import { ensureRoles } from '../db/roles';
import { seedDemoAccounts, seedInitialAdmin, seedNetwork } from '../db/seed';
import { assertNoDemoAccounts } from './demo';

/** @param ds connected as the administrator (db.adminUrl) */
export async function prepareDatabase(ds: DataSource, config: Config, db: Pick<DatabaseHandle, 'managedRoles' | 'adminUrl' | 'engineAdminUrl'>): Promise<{ migrations: string[]; calendarYears: number[] }> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  const calendarYears = await createCalendarRepository(ds).seedFromPackage();
  await seedNetwork(ds);
  if (config.mode === 'demo') await seedDemoAccounts(ds);
  else {
    if (config.initialAdminPassword) await seedInitialAdmin(ds, config.initialAdminPassword);
    await assertNoDemoAccounts(ds);
  }
  if (db.managedRoles) await ensureRoles(db.adminUrl, db.engineAdminUrl);
  return { migrations: ran.map((m) => m.name), calendarYears };
}

/**
 * Brings the application database up to date: migrations, the holiday calendar, the network, and the
 * accounts — the demo accounts in demo mode; in production only a first `admin`, from ADMIN_INITIAL_PASSWORD,
 * when no admin exists yet (no default password exists outside demo mode).
 */
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createCalendarRepository } from '../calendar/repository';
import { seedDemoAccounts, seedInitialAdmin, seedNetwork } from '../db/seed';

export async function prepareDatabase(ds: DataSource, config: Config): Promise<{ migrations: string[]; calendarYears: number[] }> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  const calendarYears = await createCalendarRepository(ds).seedFromPackage();
  await seedNetwork(ds);
  if (config.mode === 'demo') await seedDemoAccounts(ds);
  else if (config.initialAdminPassword) await seedInitialAdmin(ds, config.initialAdminPassword);
  return { migrations: ran.map((m) => m.name), calendarYears };
}

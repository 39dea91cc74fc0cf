/** Brings the application database up to date: migrations, the holiday calendar, the network, demo accounts. */
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createCalendarRepository } from '../calendar/repository';
import { seedDemoAccounts, seedNetwork } from '../db/seed';

export async function prepareDatabase(ds: DataSource, config: Config): Promise<{ migrations: string[]; calendarYears: number[] }> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  const calendarYears = await createCalendarRepository(ds).seedFromPackage();
  await seedNetwork(ds);
  if (config.mode === 'demo') await seedDemoAccounts(ds);
  return { migrations: ran.map((m) => m.name), calendarYears };
}

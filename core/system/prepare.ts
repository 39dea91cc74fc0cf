/**
 * Brings the application database up to date, as its administrator: migrations, the holiday calendar, the
 * network, and the accounts — the demo accounts in demo mode; in production only a first `admin`, from
 * ADMIN_INITIAL_PASSWORD, when no admin exists yet (no default password exists outside demo mode), and no
 * start at all while demo credentials remain. Then the least-privilege roles the system runs as (core/db/roles.ts).
 */
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { createCalendarRepository } from '../calendar/repository';
import { createDataSource } from '../db/data-source';
import { withSystemLock } from '../db/lock';
import type { DatabaseHandle } from '../db/postgres';
import { ensureRoles, grantTaskListRead } from '../db/roles';
import type { EngineClient } from '../engine/client';
import { deployDiagrams } from './deploy';
import { seedDemoAccounts, seedInitialAdmin, seedNetwork } from '../db/seed';
import { assertNoDemoAccounts } from './demo';

/** @param ds connected as the administrator (db.adminUrl) */
export async function prepareDatabase(
  ds: DataSource,
  config: Config,
  db: Pick<DatabaseHandle, 'managedRoles' | 'adminUrl' | 'engineAdminUrl'>,
): Promise<{ migrations: string[]; calendarYears: number[] }> {
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

/**
 * Everything that must happen once however many processes start at once, under one advisory lock: migrations,
 * seeding and roles (before an engine starts: it connects as hotline_engine), then, given the engine (a
 * server), the deployment of bpmn/ and the tasklist's read of the engine's tables. Whoever comes second finds
 * nothing left to do: no migration pending, the seed present, no resource changed (duplicate filtering).
 */
export async function prepareSystem(
  db: DatabaseHandle,
  config: Config,
  engine?: EngineClient,
): Promise<{ migrations: string[]; calendarYears: number[]; deploymentId?: string }> {
  return withSystemLock(db.adminUrl, async () => {
    const admin = createDataSource(db.adminUrl, 2);
    await admin.initialize();
    let prepared: { migrations: string[]; calendarYears: number[] };
    try {
      prepared = await prepareDatabase(admin, config, db);
    } finally {
      await admin.destroy();
    }
    if (!engine) return prepared;
    const deployment = await deployDiagrams(engine, path.join(config.rootDir, 'bpmn'));
    if (db.managedRoles) await grantTaskListRead(db.engineAdminUrl);
    return { ...prepared, deploymentId: deployment.id };
  });
}

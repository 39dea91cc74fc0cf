/**
 * Who may see which work order: level-1 users (office, operators, admins) see all; a unit sees the work
 * orders it leads, cooperates on or was delegated, and those of its own level-3 units. Personal data is
 * masked for units (PIPL).
 */
import type { DataSource } from 'typeorm';
import type { WorkOrder } from '../core/db/entities';
import type { CurrentUser } from './plugins/auth';

export async function visibleUnitIds(ds: DataSource, user: CurrentUser): Promise<string[] | undefined> {
  if (user.cityWide) return undefined;
  if (!user.unitId) return [];
  const children: { id: string }[] = await ds.query(`SELECT id FROM units WHERE parent_id = $1`, [user.unitId]);
  return [user.unitId, ...children.map((c) => c.id)];
}

export function canSee(c: WorkOrder, unitIds: string[] | undefined): boolean {
  if (unitIds === undefined) return true;
  return [c.leadUnitId, c.delegatedUnitId, ...c.coUnitIds].some((u) => u !== null && unitIds.includes(u));
}

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function present(c: WorkOrder, user: CurrentUser): WorkOrder {
  return user.cityWide ? c : { ...c, citizenPhone: maskPhone(c.citizenPhone) };
}

/**
 * Who may see which work order: level-1 users (office, operators, admins) see all; a unit sees the work
 * orders it leads, cooperates on or was delegated, and those of its own level-3 units. Personal data is
 * masked for units (PIPL).
 */
import type { DataSource } from 'typeorm';
import type { CaseRepository } from '../core/cases/repository';
import type { WorkOrder } from '../core/db/entities';
import { ForbiddenError, NotFoundError } from '../core/errors';
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

/** The work order `id` if this user may see it: 404 when there is none, 403 when it is another unit's. */
export async function visibleCase(ds: DataSource, cases: CaseRepository, id: string, user: CurrentUser): Promise<WorkOrder> {
  const c = await cases.get(id);
  if (!c) throw new NotFoundError('id', '工单不存在', 'work order not found');
  if (!canSee(c, await visibleUnitIds(ds, user))) throw new ForbiddenError('无权查看该工单', 'this work order is not dispatched to your unit');
  return c;
}

/** What the signed-in user may open in the workbench, by the vocabulary's role groups (the server decides the same way). */
import type { User } from '../../web-shared/src/session';
import { userIn } from '../../web-shared/src/session';

/** Hotline office staff (level 1) work city-wide; everyone else works for one unit. */
export const isOffice = (user: User): boolean => userIn(user, 'cityWide');

/** Only operators and the office register calls (POST /api/cases). */
export const canIntake = (user: User): boolean => userIn(user, 'intake');

/** The audit log is the administrators' (GET /api/audit is admin only). */
export const canReadAudit = (user: User): boolean => userIn(user, 'administration');

/** 导出 CSV of work orders with personal data (GET /api/cases/export): the office and admins. */
export const canExportCases = (user: User): boolean => userIn(user, 'caseExport');

/** Accounts (GET/POST/PATCH /api/users) are the administrators'. */
export const canManageUsers = (user: User): boolean => userIn(user, 'administration');

/** 历史工单导入 (POST /api/imports/cases) is the administrators'. */
export const canImportHistory = (user: User): boolean => userIn(user, 'administration');

/** 统计 and 报表: the office and admins city-wide, unit users for their unit (not operators alone). */
export const canSeeDashboard = (user: User): boolean => userIn(user, 'reportReaders');

/** Operators land on intake, the office and unit leaders on the dashboard, everyone else on their tasks. */
export function landingFor(user: User): string {
  if (user.roles.includes('operator')) return '#/intake';
  if (user.roles.includes('office') || user.roles.includes('unit_leader')) return '#/dashboard';
  return '#/tasks';
}

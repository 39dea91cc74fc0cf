/** Who is signed in: the bearer token survives a reload (localStorage), the user is reloaded from GET /api/me. */
const KEY = 'hotline-workbench-token';

export const session = { token: localStorage.getItem(KEY), user: null };

export function signIn(token, user) {
  localStorage.setItem(KEY, token);
  session.token = token;
  session.user = user;
}

export function signOut() {
  localStorage.removeItem(KEY);
  session.token = null;
  session.user = null;
}

const OFFICE_ROLES = ['admin', 'operator', 'office'];

/** Hotline office staff (level 1) work city-wide; everyone else works for one unit. */
export const isOffice = (user) => user.roles.some((r) => OFFICE_ROLES.includes(r));

/** Only operators and the office register calls (POST /api/cases). */
export const canIntake = isOffice;

/** The audit log is the administrators' (GET /api/audit is admin only). */
export const canReadAudit = (user) => user.roles.includes('admin');

/** 统计 and 报表: the office and admins city-wide, unit users for their unit (not operators alone). */
export const canSeeDashboard = (user) => user.roles.some((r) => ['office', 'admin', 'unit_leader', 'unit_handler'].includes(r));

/** Operators land on intake, the office and unit leaders on the dashboard, everyone else on their tasks. */
export function landingFor(user) {
  if (user.roles.includes('operator')) return '#/intake';
  if (user.roles.includes('office') || user.roles.includes('unit_leader')) return '#/dashboard';
  return '#/tasks';
}

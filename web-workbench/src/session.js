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

/** Operators land on intake, everyone else on their tasks. */
export const landingFor = (user) => (user.roles.includes('operator') ? '#/intake' : '#/tasks');

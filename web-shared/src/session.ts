/**
 * Who is signed in. The session itself is the HttpOnly cookie both apps share (one sign-in for the workbench at /
 * and the modeler at /modeler/); scripts never see a token. The user is asked of GET /api/me once per page.
 */
import { ROLE_GROUPS, type Role, type RoleGroup } from '../../core/vocabulary';
import { ApiError, get, onUnauthorized, post } from './api';

/** The signed-in person as GET /api/me and POST /api/auth/login describe them. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
  groups: string[];
  cityWide: boolean;
  /** Signed in with a temporary password an admin generated: the user must set their own first. */
  mustChangePassword?: boolean;
}

/** undefined: not asked yet; null: nobody is signed in. */
let known: User | null | undefined;

onUnauthorized(() => (known = null));

/** The signed-in user, or null. */
export async function currentUser(): Promise<User | null> {
  if (known !== undefined) return known;
  try {
    known = await get<User>('/api/me');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    known = null;
  }
  return known;
}

/** Signs in: the server sets the session cookies; the token in its answer is for API clients and is dropped. */
export async function signIn(username: string, password: string): Promise<User> {
  const { user } = await post<{ user: User }>('/api/auth/login', { username, password });
  known = user;
  return user;
}

/** Signs out of both apps: the server revokes the token and clears the cookies; locally it ends even offline. */
export async function signOut(): Promise<void> {
  await post('/api/auth/logout').catch(() => undefined);
  known = null;
}

/**
 * Changes the signed-in user's own password: every other session of the account ends; this one goes on (the server
 * sets new cookies), and the user is asked again.
 */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await post('/api/me/password', { currentPassword, newPassword });
  known = undefined;
}

/** Whether any of the user's roles belongs to a named group of the vocabulary. */
export const userIn = (user: User, group: RoleGroup): boolean => user.roles.some((r) => (ROLE_GROUPS[group] as readonly Role[]).includes(r));

/**
 * The hotline workbench: intake for operators, the tasklist with its task forms, the work orders and the reports.
 * Signs in (the session both apps share), then renders the view the hash names inside the common header.
 */
import './styles/vendor.css';
import './styles/app.css';
import { onUnauthorized } from '../../web-shared/src/api';
import { fill, h } from '../../web-shared/src/dom';
import { currentUser, signOut, type User } from '../../web-shared/src/session';
import { header } from './layout';
import { match, parseHash, type Route } from './router';
import { canImportHistory, canIntake, canManageUsers, canReadAudit, canSeeDashboard, landingFor } from './session';
import { forgetUnits, unitName } from './units';
import type { View } from './view';
import { auditView } from './views/audit';
import { caseDetailView } from './views/case-detail';
import { casesView } from './views/cases';
import { dashboardView } from './views/dashboard';
import { importsView } from './views/imports';
import { intakeView } from './views/intake';
import { loginView } from './views/login';
import { passwordView } from './views/password';
import { reportsView } from './views/reports';
import { taskFormView } from './views/task-form';
import { tasksView } from './views/tasks';
import { usersView } from './views/users';

interface Screen {
  view: View;
  allowed?: (user: User) => boolean;
}

const routes: Route<Screen>[] = [
  { pattern: /^\/dashboard$/, view: dashboardView, allowed: canSeeDashboard },
  { pattern: /^\/intake$/, view: intakeView, allowed: canIntake },
  { pattern: /^\/tasks$/, view: tasksView },
  { pattern: /^\/tasks\/([\w-]+)$/, view: taskFormView },
  { pattern: /^\/cases$/, view: casesView },
  { pattern: /^\/cases\/([\w-]+)$/, view: caseDetailView },
  { pattern: /^\/reports$/, view: reportsView, allowed: canSeeDashboard },
  { pattern: /^\/audit$/, view: auditView, allowed: canReadAudit },
  { pattern: /^\/users$/, view: usersView, allowed: canManageUsers },
  { pattern: /^\/imports$/, view: importsView, allowed: canImportHistory },
  { pattern: /^\/password$/, view: passwordView },
];

const root = document.getElementById('app') as HTMLElement;
let cleanup: (() => void) | null = null;
let rendering = 0;

/** 退出 ends the session of both apps: the server revokes the token and clears the cookies. */
async function logout() {
  await signOut();
  forgetUnits();
  location.hash = '#/login';
}

// The session ended elsewhere (expired, or signed out in the modeler): back to the sign-in screen.
onUnauthorized(() => {
  forgetUnits();
  if (location.hash !== '#/login') location.hash = '#/login';
});

/** Renders the current hash; a navigation that starts meanwhile wins, and the older view is cleaned up. */
async function render() {
  const turn = ++rendering;
  cleanup?.();
  cleanup = null;
  const { path, query } = parseHash(location.hash);
  const user = await currentUser().catch(() => null);
  if (turn !== rendering) return;
  if (path === '/login') {
    if (user) return void (location.hash = landingFor(user));
    const main = h('main', { class: 'app-main' });
    fill(root, main);
    return loginView(main);
  }
  if (!user) return void (location.hash = '#/login');
  // A temporary password an admin generated opens nothing but setting one's own.
  if (user.mustChangePassword && path !== '/password') return void (location.hash = '#/password');
  const found = match(routes, path);
  if (!found || (found.route.allowed && !found.route.allowed(user))) return void (location.hash = landingFor(user));

  const main = h('main', { class: 'app-main' });
  const top = header(user, await unitName(user.unitId).catch(() => ''), path, logout);
  if (turn !== rendering) return;
  fill(root, top, main);
  let stop: void | (() => void) = undefined;
  try {
    stop = await found.route.view({ main, params: found.params, query, user });
  } catch (e) {
    fill(main, h('div', { class: 'notice notice-error' }, e instanceof Error && e.message ? e.message : '页面加载失败，请刷新重试'));
  }
  if (turn === rendering) cleanup = stop ?? null;
  else stop?.();
}

window.addEventListener('hashchange', () => void render());
void render();

/**
 * The hotline workbench: intake for operators, the tasklist with its task forms, the work orders and the reports.
 * Signs in, then renders the view the hash names inside the common header.
 */
import './styles/vendor.css';
import './styles/app.css';
import { get, post } from './api.js';
import { h, fill } from './dom.js';
import { header } from './layout.js';
import { match, parseHash } from './router.js';
import { canIntake, canReadAudit, canSeeDashboard, landingFor, session, signOut } from './session.js';
import { forgetUnits, unitName } from './units.js';
import { auditView } from './views/audit.js';
import { caseDetailView } from './views/case-detail.js';
import { casesView } from './views/cases.js';
import { dashboardView } from './views/dashboard.js';
import { intakeView } from './views/intake.js';
import { loginView } from './views/login.js';
import { reportsView } from './views/reports.js';
import { taskFormView } from './views/task-form.js';
import { tasksView } from './views/tasks.js';

const routes = [
  { pattern: /^\/login$/, view: loginView, public: true },
  { pattern: /^\/dashboard$/, view: dashboardView, allowed: canSeeDashboard },
  { pattern: /^\/intake$/, view: intakeView, allowed: canIntake },
  { pattern: /^\/tasks$/, view: tasksView },
  { pattern: /^\/tasks\/([\w-]+)$/, view: taskFormView },
  { pattern: /^\/cases$/, view: casesView },
  { pattern: /^\/cases\/([\w-]+)$/, view: caseDetailView },
  { pattern: /^\/reports$/, view: reportsView, allowed: canSeeDashboard },
  { pattern: /^\/audit$/, view: auditView, allowed: canReadAudit },
];

const root = document.getElementById('app');
let cleanup = null;
let rendering = 0;

/** 退出 revokes the token on the server too; the local session ends even when the server cannot be reached. */
async function logout() {
  await post('/api/auth/logout').catch(() => undefined);
  signOut();
  forgetUnits();
  location.hash = '#/login';
}

async function currentUser() {
  if (!session.token) return null;
  session.user ??= await get('/api/me').catch(() => null);
  return session.user;
}

/** Renders the current hash; a navigation that starts meanwhile wins, and the older view is cleaned up. */
async function render() {
  const turn = ++rendering;
  cleanup?.();
  cleanup = null;
  const { path, query } = parseHash(location.hash);
  const found = match(routes, path);
  const user = await currentUser();
  if (!user && !found?.route.public) return void (location.hash = '#/login');
  if (!found || (user && found.route.public) || (found.route.allowed && !found.route.allowed(user))) return void (location.hash = landingFor(user));

  const main = h('main', { class: 'app-main' });
  const top = found.route.public ? null : header(user, await unitName(user.unitId).catch(() => ''), path, logout);
  if (turn !== rendering) return;
  fill(root, top, main);
  let stop = null;
  try {
    stop = await found.route.view({ main, params: found.params, query, user });
  } catch (e) {
    fill(main, h('div', { class: 'notice notice-error' }, e.message || '页面加载失败，请刷新重试'));
  }
  if (turn === rendering) cleanup = stop ?? null;
  else stop?.();
}

window.addEventListener('hashchange', render);
void render();

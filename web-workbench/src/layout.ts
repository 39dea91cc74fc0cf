/** The frame around every signed-in screen: title, navigation by role, and who is signed in with 退出. */
import { h } from './dom.js';
import { ROLE } from './labels.js';
import { canIntake, canReadAudit, canSeeDashboard } from './session.js';

export function header(user, unitName, current, onLogout) {
  const links = [canSeeDashboard(user) && ['#/dashboard', '统计'], canIntake(user) && ['#/intake', '受理'], ['#/tasks', '待办'], ['#/cases', '工单'], canSeeDashboard(user) && ['#/reports', '报表'], canReadAudit(user) && ['#/audit', '审计']].filter(Boolean);
  return h(
    'header',
    { class: 'app-header' },
    h('a', { class: 'brand', href: '#/tasks' }, h('span', { class: 'brand-mark' }, '12345'), h('span', {}, '平顶山市市长热线 · 工单工作台')),
    h(
      'nav',
      { class: 'app-nav' },
      links.map(([href, text]) => h('a', { href, class: current.startsWith(href.slice(1)) ? 'active' : undefined }, text)),
    ),
    h(
      'div',
      { class: 'who' },
      h('span', { class: 'who-name' }, user.displayName),
      h('span', { class: 'who-unit' }, unitName),
      h('span', { class: 'who-role' }, user.roles.map((r) => ROLE[r] ?? r).join('、')),
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: onLogout }, '退出'),
    ),
  );
}

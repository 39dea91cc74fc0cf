/** The frame around every signed-in screen: title, navigation by role, and who is signed in with 退出. */
import { label, ROLE } from '../../core/vocabulary';
import { h } from '../../web-shared/src/dom';
import type { User } from '../../web-shared/src/session';
import { canImportHistory, canIntake, canManageUsers, canReadAudit, canSeeDashboard } from './session';

export function header(user: User, unitName: string, current: string, onLogout: () => void): HTMLElement {
  const links: [string, string][] = [];
  if (canSeeDashboard(user)) links.push(['#/dashboard', '统计']);
  if (canIntake(user)) links.push(['#/intake', '受理']);
  links.push(['#/tasks', '待办'], ['#/cases', '工单']);
  if (canSeeDashboard(user)) links.push(['#/reports', '报表']);
  if (canManageUsers(user)) links.push(['#/users', '用户']);
  if (canReadAudit(user)) links.push(['#/audit', '审计']);
  if (canImportHistory(user)) links.push(['#/imports', '历史导入']);
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
      h('span', { class: 'who-role' }, user.roles.map((r) => label(ROLE, r)).join('、')),
      h('a', { href: '#/password', class: 'btn btn-ghost' }, '修改密码'),
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: onLogout }, '退出'),
    ),
  );
}

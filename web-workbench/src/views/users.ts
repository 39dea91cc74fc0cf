/**
 * 用户管理, for administrators: the accounts with their roles, unit and state; create one, change its name, roles
 * and unit, deactivate or re-enable it, and reset its password (a one-time temporary password shown once, or one the
 * admin sets). Every change is audited by the server and ends the account's sessions.
 */
import { label, ROLE, ROLES, type Role } from '../../../core/vocabulary';
import { api, get, post, query } from '../../../web-shared/src/api';
import { fill, h } from '../../../web-shared/src/dom';
import { pager, toast } from '../dom';
import { hashOf } from '../router';
import { loadUnits } from '../units';
import type { ViewContext } from '../view';

/** One account of GET /api/users. */
interface Account {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
  active: boolean;
  mustChangePassword: boolean;
}

const PAGE_SIZE = 30;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Role checkboxes and a unit select, filled with what an account has. */
async function roleAndUnit(prefix: string, account?: Account) {
  const { all } = await loadUnits();
  const roles = ROLES.map((r) => h('input', { type: 'checkbox', value: r, checked: account?.roles.includes(r) ?? false, 'aria-label': label(ROLE, r) }));
  const unit = h(
    'select',
    { 'aria-label': '所属单位', id: `${prefix}-unit` },
    h('option', { value: '' }, '（无）'),
    all.map((u) => h('option', { value: u.id, selected: u.id === account?.unitId }, `${'　'.repeat(u.level - 1)}${u.name}`)),
  );
  return {
    controls: [
      h(
        'span',
        { class: 'role-checks' },
        roles.map((box, i) => h('label', {}, box, label(ROLE, ROLES[i]))),
      ),
      unit,
    ],
    value: () => ({ roles: roles.filter((b) => b.checked).map((b) => b.value as Role), unitId: unit.value || null }),
  };
}

export async function usersView({ main, query: q }: ViewContext) {
  const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
  const search = h('input', { type: 'search', value: q.q ?? '', maxlength: 60, placeholder: '用户名、姓名或单位', 'aria-label': '查询用户' });
  const go = (p = 1) => (location.hash = hashOf('/users', { q: search.value.trim(), page: p > 1 ? p : '' }));
  const reload = () => void render();
  const body = h('div', { class: 'panel table-panel' }, h('p', { class: 'muted' }, '正在查询…'));
  const creating = h('div');
  main.append(
    h(
      'form',
      { class: 'toolbar', onsubmit: (e: Event) => (e.preventDefault(), go()) },
      h('h1', {}, '用户管理'),
      search,
      h('button', { type: 'submit', class: 'btn btn-primary' }, '查询'),
      h('button', { type: 'button', class: 'btn', onclick: () => void newUserForm(creating, reload) }, '新建用户'),
    ),
    creating,
    body,
  );

  async function render() {
    let result: { items: Account[]; total: number };
    try {
      result = await get<{ items: Account[]; total: number }>(`/api/users${query({ q: q.q, page, pageSize: PAGE_SIZE })}`);
    } catch (e) {
      return void fill(body, h('div', { class: 'notice notice-error' }, message(e)));
    }
    const { byId } = await loadUnits();
    fill(
      body,
      h(
        'table',
        { class: 'grid users-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['用户名', '姓名', '角色', '所属单位', '状态', '操作'].map((t) => h('th', {}, t)),
          ),
        ),
        h(
          'tbody',
          {},
          result.items.map((a) => {
            const row = h(
              'tr',
              { dataset: { username: a.username } },
              h('td', {}, a.username),
              h('td', {}, a.displayName),
              h('td', {}, a.roles.map((r) => label(ROLE, r)).join('、')),
              h('td', {}, a.unitId ? (byId.get(a.unitId)?.name ?? a.unitId) : '—'),
              h('td', {}, a.active ? (a.mustChangePassword ? '待改临时密码' : '启用') : '已停用'),
              h(
                'td',
                { class: 'actions' },
                h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => void editRow(row, a, reload) }, '修改'),
                h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => void setActive(a, !a.active, reload) }, a.active ? '停用' : '启用'),
                h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => void resetPassword(row, a) }, '重置密码'),
              ),
            );
            return row;
          }),
        ),
      ),
      pager(page, Math.max(1, Math.ceil(result.total / PAGE_SIZE)), `共 ${result.total} 个账号`, go),
    );
  }
  await render();
}

async function setActive(a: Account, active: boolean, done: () => void) {
  if (!active && !confirm(`停用账号 ${a.username}？其登录会话将立即失效。`)) return;
  try {
    await api('PATCH', `/api/users/${a.id}`, { active });
    toast(active ? `已启用 ${a.username}` : `已停用 ${a.username}`);
    done();
  } catch (e) {
    toast(message(e), 'error');
  }
}

/** 重置密码: a temporary password (shown once, for the admin to hand over) or one the admin types. */
async function resetPassword(row: HTMLElement, a: Account) {
  const typed = h('input', { type: 'password', maxlength: 200, autocomplete: 'new-password', placeholder: '留空则生成一次性临时密码', 'aria-label': '新密码' });
  const out = h('p', { class: 'muted', role: 'status' });
  const cell = h(
    'td',
    { colspan: 6 },
    h(
      'form',
      {
        class: 'inline-form',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          try {
            const res = await post<{ temporaryPassword?: string } | undefined>(`/api/users/${a.id}/password`, typed.value ? { password: typed.value } : {});
            fill(
              out,
              res?.temporaryPassword
                ? h('span', {}, '临时密码（仅显示一次，用户登录后须修改）：', h('code', { class: 'temporary-password' }, res.temporaryPassword))
                : '密码已设置。',
            );
          } catch (err) {
            fill(out, h('span', { class: 'field-error' }, message(err)));
          }
        },
      },
      `重置 ${a.username} 的密码：`,
      typed,
      h('button', { type: 'submit', class: 'btn btn-primary' }, '确认重置'),
      out,
    ),
  );
  row.after(h('tr', { class: 'edit-row' }, cell));
}

async function editRow(row: HTMLElement, a: Account, done: () => void) {
  const name = h('input', { value: a.displayName, maxlength: 100, 'aria-label': '姓名' });
  const { controls, value } = await roleAndUnit(`edit-${a.id}`, a);
  const error = h('p', { class: 'field-error', role: 'alert' });
  row.after(
    h(
      'tr',
      { class: 'edit-row' },
      h(
        'td',
        { colspan: 6 },
        h(
          'form',
          {
            class: 'inline-form',
            onsubmit: async (e: Event) => {
              e.preventDefault();
              try {
                await api('PATCH', `/api/users/${a.id}`, { displayName: name.value.trim(), ...value() });
                toast(`已保存 ${a.username}`);
                done();
              } catch (err) {
                error.textContent = message(err);
              }
            },
          },
          name,
          controls,
          h('button', { type: 'submit', class: 'btn btn-primary' }, '保存'),
          error,
        ),
      ),
    ),
  );
}

async function newUserForm(container: HTMLElement, done: () => void) {
  const username = h('input', {
    required: true,
    maxlength: 60,
    pattern: '[a-z0-9][a-z0-9._-]{1,59}',
    placeholder: '用户名（小写字母、数字）',
    'aria-label': '用户名',
  });
  const name = h('input', { required: true, maxlength: 100, placeholder: '姓名', 'aria-label': '姓名' });
  const password = h('input', {
    type: 'password',
    required: true,
    maxlength: 200,
    autocomplete: 'new-password',
    placeholder: '初始密码（至少 12 个字符）',
    'aria-label': '初始密码',
  });
  const { controls, value } = await roleAndUnit('new');
  const error = h('p', { class: 'field-error', role: 'alert' });
  fill(
    container,
    h(
      'form',
      {
        class: 'panel inline-form',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          try {
            await post('/api/users', { username: username.value.trim(), displayName: name.value.trim(), password: password.value, ...value() });
            toast(`已新建 ${username.value.trim()}`);
            fill(container);
            done();
          } catch (err) {
            error.textContent = message(err);
          }
        },
      },
      h('h2', {}, '新建用户'),
      username,
      name,
      password,
      controls,
      h('button', { type: 'submit', class: 'btn btn-primary' }, '创建'),
      error,
    ),
  );
}

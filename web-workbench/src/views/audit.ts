/** 审计日志 (PIPL), for administrators: who did what to which record, newest first; filters live in the hash. */
import { get, query } from '../../../web-shared/src/api';
import { h, fill } from '../../../web-shared/src/dom';
import { pager } from '../dom';
import { hashOf } from '../router';
import { formatTime } from '../../../web-shared/src/time';
import type { ViewContext } from '../view';

/** One entry of GET /api/audit. */
interface AuditEntry {
  at: string;
  username: string | null;
  action: string;
  resource: string | null;
  resourceId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

const PAGE_SIZE = 30;

/** Named actions and the common routes in Chinese; any other entry is "METHOD /api/route", shown with its verb. */
const ACTIONS: Record<string, string> = {
  login: '登录',
  'login-failed': '登录失败',
  logout: '退出',
  'case.view': '查看完整工单（含个人信息）',
  'case.reveal-phone': '显示完整号码',
  'cases.list': '查询工单列表（含个人信息）',
  'cases-export': '导出工单（CSV）',
  'attachment.download': '下载附件',
  'user.update': '修改用户',
  'user.reset-password': '重置密码',
  'user.change-own-password': '修改本人密码',
  'history-import.start': '上传历史工单',
  'history-import.done': '历史工单导入完成',
  'history-import.failed': '历史工单导入失败',
};
const ROUTES: Record<string, string> = {
  'POST /api/cases': '受理登记',
  'POST /api/tasks/:id/complete': '提交任务',
  'POST /api/tasks/:id/claim': '签收任务',
  'POST /api/tasks/:id/unclaim': '退回签收',
  'POST /api/cases/:id/attachments': '上传附件',
  'POST /api/deployments': '部署流程、决策表或表单',
  'POST /api/users': '新建用户',
  'POST /api/calendar/years': '载入节假日安排',
  'POST /api/reports/:kind/:period/review': '审核报表',
  'POST /api/reports/adhoc': '发起不定期点评',
};
const METHODS: Record<string, string> = { POST: '提交', PUT: '修改', PATCH: '修改', DELETE: '删除' };
const DETAIL_LABELS: Record<string, string> = {
  status: '结果',
  reason: '理由',
  code: '工单号',
  taskKey: '任务',
  taskId: '任务编号',
  count: '件数',
  q: '检索词',
  page: '页码',
  route: '接口',
  filename: '文件名',
  username: '用户',
  temporary: '临时密码',
  active: '启用',
  fileName: '文件名',
  fileType: '文件类型',
  sizeBytes: '字节数',
  total: '数据行',
  imported: '已导入',
  rejectedRows: '出错行',
};

function actionText(action: string): string {
  const named = ACTIONS[action] ?? ROUTES[action];
  if (named) return named;
  const [method = '', route = ''] = action.split(' ');
  return METHODS[method] ? `${METHODS[method]} ${route}` : action;
}

/** The detail as "label：value" pairs, never raw JSON. */
function detailText(detail: Record<string, unknown> | null): string {
  return Object.entries(detail ?? {})
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${DETAIL_LABELS[k] ?? k}：${String(v)}`)
    .join('；');
}

export async function auditView({ main, query: q }: ViewContext) {
  const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
  const username = h('input', { type: 'search', value: q.username ?? '', maxlength: 60, placeholder: '用户名', 'aria-label': '用户名' });
  const resourceId = h('input', { type: 'search', value: q.resourceId ?? '', maxlength: 64, placeholder: '对象编号（如工单 ID）', 'aria-label': '对象编号' });
  const go = (p = 1) => (location.hash = hashOf('/audit', { username: username.value.trim(), resourceId: resourceId.value.trim(), page: p > 1 ? p : '' }));
  const body = h('div', { class: 'panel table-panel' }, h('p', { class: 'muted' }, '正在查询…'));
  main.append(
    h(
      'form',
      { class: 'toolbar', onsubmit: (e: Event) => (e.preventDefault(), go()) },
      h('h1', {}, '审计日志'),
      username,
      resourceId,
      h('button', { type: 'submit', class: 'btn btn-primary' }, '查询'),
      (q.username || q.resourceId) && h('a', { href: '#/audit', class: 'btn btn-ghost' }, '清除条件'),
    ),
    body,
  );

  let result: { items: AuditEntry[]; total: number };
  try {
    result = await get<{ items: AuditEntry[]; total: number }>(
      `/api/audit${query({ username: q.username, resourceId: q.resourceId, page, pageSize: PAGE_SIZE })}`,
    );
  } catch (e) {
    return void fill(body, h('div', { class: 'notice notice-error' }, e instanceof Error ? e.message : String(e)));
  }
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  fill(
    body,
    result.items.length === 0
      ? h('p', { class: 'empty' }, '没有符合条件的审计记录。')
      : h(
          'table',
          { class: 'grid audit-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['时间', '用户', '操作', '对象', '来源地址', '详情'].map((t) => h('th', {}, t)),
            ),
          ),
          h(
            'tbody',
            {},
            result.items.map((e) =>
              h(
                'tr',
                {},
                h('td', {}, formatTime(e.at)),
                h('td', {}, e.username ?? '—'),
                h('td', {}, actionText(e.action)),
                h(
                  'td',
                  { class: 'clip-cell' },
                  e.resource === 'cases' && e.resourceId ? h('a', { href: `#/cases/${e.resourceId}` }, e.resourceId) : (e.resourceId ?? '—'),
                ),
                h('td', {}, e.ip ?? '—'),
                h('td', { class: 'clip-cell wide' }, detailText(e.detail) || '—'),
              ),
            ),
          ),
        ),
    pager(page, pages, `共 ${result.total} 条`, go),
  );
}

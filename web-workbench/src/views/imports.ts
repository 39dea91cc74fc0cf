/**
 * 历史工单导入 (admins): download the template, upload a CSV or XLSX of the old platform's closed work orders, follow
 * the background import (GET /api/imports/:id) and read every refused row. The job's id stays in the hash, so a
 * reload keeps following it.
 */
import { ApiError, download, get, post } from '../../../web-shared/src/api';
import { fill, h } from '../../../web-shared/src/dom';
import { formatTime } from '../../../web-shared/src/time';
import {
  DISPATCH_MODEL_STATUS,
  DISPATCH_MODEL_TRIGGER,
  IMPORT_COLUMN,
  IMPORT_STAGE,
  IMPORT_STATUS,
  label,
  type DispatchModelStatus,
  type DispatchModelTrigger,
  type ImportColumn,
  type ImportStage,
  type ImportStatus,
} from '../../../core/vocabulary';
import { upload } from '../api';
import { pct } from '../report';
import { toast } from '../dom';
import { hashOf } from '../router';
import type { ViewContext } from '../view';

/** One answer of GET /api/imports/:id. */
interface ImportJob {
  id: string;
  status: ImportStatus;
  stage: ImportStage;
  fileName: string;
  total: number;
  processed: number;
  imported: number;
  rejected: { row: number; column: ImportColumn | null; message: { zh: string } }[];
  rejectedRows: number;
  message: { zh: string } | null;
  startedAt: string;
  finishedAt: string | null;
}

/** One answer of GET /api/dispatch-model: the newest training run. */
interface ModelRun {
  version: number;
  status: DispatchModelStatus;
  trigger: DispatchModelTrigger;
  requestedBy: string;
  trainedAt: string | null;
  samples: number | null;
  accuracy: number | null;
  top3Accuracy: number | null;
  error: string | null;
  inUse: number | null;
}

const POLL_MS = 1000;

/** 派单模型: the newest run and a button to train again on the history imported here and closed since. */
function modelPanel(isLeft: () => boolean): HTMLElement {
  const body = h('div', {}, h('p', { class: 'muted' }, '读取中…'));
  const train = h('button', { type: 'button', class: 'btn btn-primary' }, '立即训练');
  const show = (run: ModelRun | null) =>
    fill(
      body,
      run
        ? h(
            'p',
            {},
            `版本 v${run.version}（${label(DISPATCH_MODEL_TRIGGER, run.trigger)}）：${label(DISPATCH_MODEL_STATUS, run.status)}`,
            run.status === 'done' && `；样本 ${run.samples} 件，留出样本首选准确率 ${pct(run.accuracy)}、前三准确率 ${pct(run.top3Accuracy)}`,
            run.trainedAt && `；完成于 ${formatTime(run.trainedAt)}`,
            run.error && `；${run.error}`,
            `。正在使用：${run.inUse ? `v${run.inUse}` : '仅派单目录'}`,
          )
        : h('p', { class: 'muted' }, '尚未训练：目前仅按派单目录建议。'),
    );
  const refresh = async (): Promise<void> => {
    const run = await get<ModelRun>('/api/dispatch-model').catch((e: unknown) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e)));
    if (isLeft()) return;
    show(run);
    train.disabled = run?.status === 'training';
    if (run?.status === 'training') window.setTimeout(() => void refresh().catch(() => undefined), 2 * POLL_MS);
  };
  train.addEventListener('click', () => {
    train.disabled = true;
    void post('/api/dispatch-model/train', {})
      .then(refresh)
      .catch((e: unknown) => {
        train.disabled = false;
        toast(e instanceof Error ? e.message : String(e), 'error');
      });
  });
  void refresh().catch((e: unknown) => toast(e instanceof Error ? e.message : String(e), 'error'));
  return h(
    'section',
    { class: 'panel' },
    h('h2', {}, '派单模型', h('small', { class: 'muted' }, '从已办结工单（含导入的历史工单）学习牵头单位和分类；每晚自动训练')),
    body,
    h('div', { class: 'actions' }, train),
  );
}
/** The refused cells shown at once; the count says how many there are in all. */
const SHOWN = 500;

function jobPanel(job: ImportJob): HTMLElement {
  const done = job.status === 'done';
  const ratio = job.total > 0 ? (done ? 1 : job.processed / job.total) : 0;
  const stage = job.status === 'running' ? label(IMPORT_STAGE, job.stage) : label(IMPORT_STATUS, job.status);
  return h(
    'div',
    {},
    h(
      'dl',
      { class: 'fields' },
      h('dt', {}, '文件'),
      h('dd', {}, job.fileName),
      h('dt', {}, '开始时间'),
      h('dd', {}, formatTime(job.startedAt)),
      h('dt', {}, '状态'),
      h('dd', {}, stage),
      h('dt', {}, '数据行'),
      h('dd', {}, String(job.total)),
      h('dt', {}, '已导入'),
      h('dd', {}, String(job.imported)),
    ),
    h('progress', { class: 'import-progress', max: 100, value: Math.round(ratio * 100), 'aria-label': '导入进度' }),
    job.message && h('div', { class: `notice ${done ? '' : 'notice-error'}` }, job.message.zh),
    done && h('div', { class: 'notice' }, `已导入 ${job.imported} 件历史工单（已办结，不计入按期办结率和满意度）。`),
    job.rejected.length > 0 &&
      h(
        'div',
        { class: 'table-panel' },
        h('p', { class: 'muted' }, `共 ${job.rejectedRows} 行有误${job.rejected.length > SHOWN ? `，下表列出前 ${SHOWN} 处` : ''}；请修改文件后重新上传。`),
        h(
          'table',
          { class: 'grid compact' },
          h('thead', {}, h('tr', {}, h('th', {}, '行号'), h('th', {}, '列'), h('th', {}, '问题'))),
          h(
            'tbody',
            {},
            job.rejected
              .slice(0, SHOWN)
              .map((r) => h('tr', {}, h('td', {}, String(r.row)), h('td', {}, r.column ? label(IMPORT_COLUMN, r.column) : '—'), h('td', {}, r.message.zh))),
          ),
        ),
      ),
  );
}

export function importsView({ main, query }: ViewContext) {
  const file = h('input', { type: 'file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '上传并导入');
  const result = h('div', { class: 'panel' }, h('p', { class: 'muted' }, '选择文件后上传；导入在后台进行，本页显示进度。'));
  let timer: number | undefined;
  let left = false;

  async function follow(id: string) {
    window.clearTimeout(timer);
    try {
      const job = await get<ImportJob>(`/api/imports/${id}`);
      if (left) return;
      fill(result, jobPanel(job));
      if (job.status === 'running') timer = window.setTimeout(() => void follow(id), POLL_MS);
    } catch (e) {
      if (!left) fill(result, h('div', { class: 'notice notice-error' }, e instanceof Error ? e.message : String(e)));
    }
  }

  main.append(
    h(
      'div',
      { class: 'toolbar' },
      h('h1', {}, '历史工单导入'),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-ghost',
          onclick: () => void download('/api/imports/template', '历史工单导入模板.csv').catch((e: Error) => toast(e.message, 'error')),
        },
        '下载模板',
      ),
    ),
    h(
      'form',
      {
        class: 'panel',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const chosen = file.files?.[0];
          if (!chosen) return;
          submit.disabled = true;
          try {
            const { id } = await upload('/api/imports/cases', chosen);
            history.replaceState(null, '', hashOf('/imports', { id }));
            void follow(id);
          } catch (err) {
            toast(err instanceof Error ? err.message : String(err), 'error');
          } finally {
            submit.disabled = false;
          }
        },
      },
      h(
        'p',
        { class: 'muted' },
        `CSV（UTF-8）或 XLSX，50 MB 以内。必填列：${label(IMPORT_COLUMN, 'content')}、${label(IMPORT_COLUMN, 'lead_unit')}（单位名称或编号）；`,
        '有任何一行出错时不导入任何工单，并列出所有出错的行。',
      ),
      h('div', { class: 'field-row' }, h('div', { class: 'field' }, file), h('div', { class: 'actions' }, submit)),
    ),
    result,
    modelPanel(() => left),
  );
  if (query.id) void follow(query.id);
  return () => {
    left = true;
    window.clearTimeout(timer);
  };
}

/** 迁移运行中工单: the running work orders per version, and moving those of an older version to the newest. */
import { ApiError } from '../../web-shared/src/api';
import { h } from '../../web-shared/src/dom';
import { modelerApi } from './api';
import type { Versions } from './versions';
import type { Workspace } from './workspace';

/** Why the engine refused a migration, per activity. */
interface MigrationProblem {
  activityId?: string | null;
  name?: string | null;
  messages: string[];
}

export function createMigration(ws: Workspace, versions: Versions): HTMLButtonElement {
  const button = h('button', { type: 'button', disabled: true, onclick: () => void show() }, '迁移运行中工单');

  async function show() {
    const key = ws.doc?.def?.key;
    if (!key) return;
    try {
      const { versions: counts } = await modelerApi.instances(key);
      const latest = counts[0];
      if (!latest) return;
      const older = counts.filter((c) => c.version !== latest.version && c.running > 0);
      const list = h(
        'ul',
        { class: 'diff-list migrations' },
        counts.map((c) =>
          h(
            'li',
            { 'data-version': c.version },
            `版本 ${c.version}${c.version === latest.version ? '（最新）' : ''}：运行中 ${c.running} 件 `,
            c.version !== latest.version &&
              c.running > 0 &&
              h(
                'button',
                {
                  type: 'button',
                  onclick: () =>
                    ws.sidePanel.append(
                      ws.confirmBar(
                        `将把版本 ${c.version} 上的 ${c.running} 件运行中工单迁移到版本 ${latest.version}（定时器按新版本重新计算），确认吗？`,
                        '确认迁移',
                        () => migrate(key, c.version, latest.version),
                      ),
                    ),
                },
                `迁移到版本 ${latest.version}`,
              ),
          ),
        ),
      );
      ws.openPanel(
        '迁移运行中工单',
        h('p', {}, older.length ? '运行中的工单默认留在其启动时的版本上。' : '没有需要迁移的工单：所有运行中的工单都在最新版本上。'),
        list,
      );
    } catch (err) {
      ws.handleError(err);
    }
  }

  async function migrate(key: string, fromVersion: number, toVersion: number) {
    try {
      const res = await modelerApi.migrate(key, fromVersion, toVersion);
      await show();
      ws.setStatus(`已将 ${res.migrated} 件工单从版本 ${fromVersion} 迁移到版本 ${toVersion}`, 'ok');
      await versions.load();
    } catch (err) {
      const problems = err instanceof ApiError ? (err.body as { problems?: MigrationProblem[] } | undefined)?.problems : undefined;
      if (!problems) return ws.handleError(err);
      ws.openPanel(
        '迁移被拒绝',
        h('p', {}, err instanceof Error ? err.message : ''),
        h(
          'ul',
          { class: 'problems' },
          problems.map((p) =>
            h(
              'li',
              {},
              h('code', { class: 'p-element' }, p.activityId ?? '（整个流程）'),
              h('span', {}, p.name ?? ''),
              h('span', { class: 'p-message' }, p.messages.join('；')),
            ),
          ),
        ),
      );
      ws.setStatus('迁移被拒绝，工单仍在原版本上', 'error');
    }
  }

  versions.onReady((ready) => (button.disabled = !ready || ws.doc?.kind !== 'process'));
  return button;
}

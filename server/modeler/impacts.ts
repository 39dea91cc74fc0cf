/**
 * What a new diagram would take away from work orders still running (R-safety of the modeler): a user task
 * or an external-task topic of the newest deployed version that has running tokens and is gone from the
 * upload, or a process key that the file no longer carries while instances of it run. The deploy route asks
 * for confirmation when the list is not empty.
 */
import { parseDiagram, type DiagramElement } from '../../core/bpmn/model';
import type { Definition, EngineClient } from '../../core/engine/client';
import type { LintFile } from '../../core/bpmn/lint';

export interface Impact {
  kind: 'userTaskRemoved' | 'topicRemoved' | 'keyChanged';
  file: string;
  processKey: string;
  /** The newest deployed version the impact is measured against. */
  version: number;
  elementId: string | null;
  name: string | null;
  runningInstances: number;
  message: string;
}

const label = (e: DiagramElement) => (e.attrs.name ? `“${e.attrs.name}”（${e.id}）` : e.id);

async function removedInUse(engine: EngineClient, file: string, latest: Definition, next: DiagramElement[]): Promise<Impact[]> {
  const [xml, stats] = await Promise.all([engine.definitionXml('process', latest.id), engine.activityStatistics(latest.id)]);
  const running = new Map(stats.map((s) => [s.id, s.instances]));
  const nextIds = new Set(next.map((e) => e.id));
  const nextTopics = new Set(next.filter((e) => e.attrs.type === 'external').map((e) => e.attrs.topic));
  const impacts: Impact[] = [];
  const base = { file, processKey: latest.key, version: latest.version };
  for (const e of parseDiagram(xml, file)) {
    const n = running.get(e.id) ?? 0;
    if (n === 0) continue;
    if (e.tag === 'userTask' && !nextIds.has(e.id)) {
      impacts.push({
        ...base,
        kind: 'userTaskRemoved',
        elementId: e.id,
        name: e.attrs.name ?? null,
        runningInstances: n,
        message: `将删除用户任务${label(e)}，版本 ${latest.version} 中仍有 ${n} 件工单停在此处`,
      });
    } else if (e.attrs.type === 'external' && e.attrs.topic && !nextTopics.has(e.attrs.topic)) {
      impacts.push({
        ...base,
        kind: 'topicRemoved',
        elementId: e.id,
        name: e.attrs.name ?? null,
        runningInstances: n,
        message: `将不再使用外部任务主题“${e.attrs.topic}”，版本 ${latest.version} 中仍有 ${n} 件工单在${label(e)}等待处理`,
      });
    }
  }
  return impacts;
}

/** The impacts of deploying these files, measured against the newest deployed version of each process. */
export async function deploymentImpacts(engine: EngineClient, files: LintFile[]): Promise<Impact[]> {
  const bpmn = files.filter((f) => f.name.endsWith('.bpmn'));
  if (bpmn.length === 0) return [];
  const latest = await engine.latestDefinitions('process');
  const impacts = await Promise.all(
    bpmn.map(async (f) => {
      const next = parseDiagram(f.content, f.name);
      const keys = new Set(next.filter((e) => e.tag === 'process').map((e) => e.id));
      const found: Impact[][] = await Promise.all(
        latest.map(async (d) => {
          if (keys.has(d.key)) return removedInUse(engine, f.name, d, next);
          if (d.resource !== f.name) return [];
          const n = await engine.processInstanceCount({ processDefinitionKey: d.key });
          if (n === 0) return [];
          return [
            {
              kind: 'keyChanged',
              file: f.name,
              processKey: d.key,
              version: d.version,
              elementId: null,
              name: d.name,
              runningInstances: n,
              message: `文件 ${f.name} 不再包含流程“${d.key}”（流程标识被修改或删除），该流程仍有 ${n} 件运行中的工单`,
            } satisfies Impact,
          ];
        }),
      );
      return found.flat();
    }),
  );
  return impacts.flat();
}

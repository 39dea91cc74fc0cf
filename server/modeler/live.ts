/**
 * The live view of a process on the modeler's diagram: per activity, the running tokens and incidents over
 * all deployed versions of the key, and how many of the work orders waiting there are overdue. Activities
 * inside sub-processes (unitWork, its event sub-process supervision) are also summed onto each enclosing
 * sub-process, so the collapsed shapes on the main plane show what runs inside them.
 */
import type { DataSource } from 'typeorm';
import { CONTAINERS, parseXmlTree, withContainers } from '../../core/bpmn/tree';
import type { EngineClient } from '../../core/engine/client';
import { NotFoundError } from '../../core/errors';

export interface ActivityLive {
  running: number;
  incidents: number;
  overdue: number;
}

/** Which sub-processes enclose each activity in this diagram version. */
function containment(xml: string): { containers: Set<string>; parents: Map<string, string[]> } {
  const containers = new Set<string>();
  const parents = new Map<string, string[]>();
  for (const { node, containers: around } of withContainers(parseXmlTree(xml))) {
    if (!node.attrs.id) continue;
    if (CONTAINERS.has(node.tag)) containers.add(node.attrs.id);
    parents.set(node.attrs.id, around);
  }
  return { containers, parents };
}

/** Process instances among these that belong to an overdue work order (flag set by the timer, or due date passed). */
async function overdueInstances(ds: DataSource, processInstanceIds: string[]): Promise<Set<string>> {
  if (processInstanceIds.length === 0) return new Set();
  const rows: { pid: string }[] = await ds.query(
    `select process_instance_id as pid from work_orders
      where process_instance_id = any($1) and closed_at is null and (overdue or due_at < now())`,
    [processInstanceIds],
  );
  return new Set(rows.map((r) => r.pid));
}

export async function liveActivities(engine: EngineClient, ds: DataSource, key: string): Promise<Record<string, ActivityLive>> {
  const versions = await engine.definitionVersions('process', key);
  if (versions.length === 0) throw new NotFoundError('key', `流程“${key}”尚未部署`, `process ${key} is not deployed`);
  const [xml, stats] = await Promise.all([engine.definitionXml('process', versions[0].id), Promise.all(versions.map((v) => engine.activityStatistics(v.id)))]);
  const { containers, parents } = containment(xml);

  // tokens and incidents of the activities themselves, summed over the versions
  const own = new Map<string, { running: number; incidents: number }>();
  for (const s of stats.flat()) {
    if (containers.has(s.id)) continue;
    const cur = own.get(s.id) ?? { running: 0, incidents: 0 };
    cur.running += s.instances;
    cur.incidents += s.incidents.reduce((n, i) => n + i.incidentCount, 0);
    own.set(s.id, cur);
  }

  // the work orders waiting at each activity: one engine query per activity that has tokens, one SQL query in all
  const waiting = new Map<string, string[]>();
  await Promise.all(
    [...own]
      .filter(([, v]) => v.running > 0)
      .map(async ([activityId]) =>
        waiting.set(
          activityId,
          (await engine.executions({ processDefinitionKey: key, activityId })).map((e) => e.processInstanceId),
        ),
      ),
  );
  const overdue = await overdueInstances(ds, [...new Set([...waiting.values()].flat())]);

  const out: Record<string, ActivityLive> = {};
  const overdueSets = new Map<string, Set<string>>();
  for (const [id, v] of own) {
    const late = (waiting.get(id) ?? []).filter((pid) => overdue.has(pid));
    for (const target of [id, ...(parents.get(id) ?? [])]) {
      const cur = (out[target] ??= { running: 0, incidents: 0, overdue: 0 });
      cur.running += v.running;
      cur.incidents += v.incidents;
      const set = overdueSets.get(target) ?? new Set<string>();
      for (const pid of late) set.add(pid);
      overdueSets.set(target, set);
    }
  }
  // a work order counts once per activity, even with several tokens inside one sub-process
  for (const [id, set] of overdueSets) out[id].overdue = set.size;
  return out;
}

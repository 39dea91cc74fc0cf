/**
 * Running work orders stay on the version they started with; an admin may move those of one version to
 * another with the engine's migration API. The engine maps equal activity ids and recomputes timers
 * (updateEventTriggers); it migrates all instances or none, and its refusal is explained in Chinese.
 */
import { parseDiagram } from '../../core/bpmn/model';
import type { Definition, EngineClient, MigrationReport } from '../../core/engine/client';
import { NotFoundError, ValidationError } from '../../core/errors';

export interface VersionCount {
  id: string;
  version: number;
  running: number;
}

export interface MigrationProblem {
  activityId: string | null;
  name: string | null;
  messages: string[];
  /** The engine's own words, for the record. */
  engine: string[];
}

export type MigrationOutcome = { migrated: number; problems?: undefined } | { migrated: 0; problems: MigrationProblem[] };

const FAILURES: [RegExp, string][] = [
  [/no migration instruction for this instance's activity/i, '目标版本中没有对应的环节，停留在此处的工单无法迁移'],
  [/not supported for activity instance migration/i, '该类型的环节不支持迁移'],
  [/not supported for migration/i, '该类型的环节不支持迁移'],
  [/not of the same type/i, '源环节与目标环节的类型不同'],
  [/does not exist/i, '目标版本中不存在该环节'],
  [/parent activity instance|flow scope|ancestor/i, '环节所在的子流程结构在目标版本中不同'],
  [/multiple migration instructions/i, '同一环节存在多条迁移指令'],
  [/event trigger/i, '事件触发器无法更新'],
];

export function translateFailure(failure: string): string {
  return FAILURES.find(([re]) => re.test(failure))?.[1] ?? `流程引擎：${failure}`;
}

/** The engine's validation report as a list of activities and what stops each of them. */
export function explainReport(report: MigrationReport, names: Map<string, string>): MigrationProblem[] {
  const r = report.validationReport;
  const item = (activityId: string | null, failures: string[]): MigrationProblem => ({
    activityId,
    name: activityId ? (names.get(activityId) ?? null) : null,
    messages: failures.map(translateFailure),
    engine: failures,
  });
  const problems = [
    ...(r.activityInstanceValidationReports ?? []).map((a) => item(a.sourceScopeId, a.failures)),
    ...(r.transitionInstanceValidationReports ?? []).map((t) => item(t.sourceScopeId, t.failures)),
    ...(r.instructionReports ?? []).map((i) => item(i.instruction.sourceActivityIds[0] ?? null, i.failures)),
    ...(r.failures?.length ? [item(null, r.failures)] : []),
  ];
  return problems.length > 0 ? problems : [item(null, [report.message])];
}

/** Running instances per version of the key, newest version first. */
export async function instanceCounts(engine: EngineClient, versions: Definition[]): Promise<VersionCount[]> {
  return Promise.all(versions.map(async (v) => ({ id: v.id, version: v.version, running: await engine.processInstanceCount({ processDefinitionId: v.id }) })));
}

export async function processVersions(engine: EngineClient, key: string): Promise<Definition[]> {
  const versions = await engine.definitionVersions('process', key);
  if (versions.length === 0) throw new NotFoundError('key', `流程“${key}”尚未部署`, `process ${key} is not deployed`);
  return versions;
}

export async function migrateInstances(engine: EngineClient, key: string, fromVersion: number, toVersion: number): Promise<MigrationOutcome> {
  if (fromVersion === toVersion) throw new ValidationError('toVersion', '源版本与目标版本相同', 'fromVersion equals toVersion', 400);
  const versions = await processVersions(engine, key);
  const find = (v: number, field: string) => {
    const d = versions.find((x) => x.version === v);
    if (!d) throw new NotFoundError(field, `流程“${key}”没有版本 ${v}`, `process ${key} has no version ${v}`);
    return d;
  };
  const source = find(fromVersion, 'fromVersion');
  const target = find(toVersion, 'toVersion');
  const count = await engine.processInstanceCount({ processDefinitionId: source.id });
  if (count === 0) return { migrated: 0 };
  const report = await engine.executeMigration(await engine.generateMigrationPlan(source.id, target.id));
  if (!report) return { migrated: count };
  const names = new Map(parseDiagram(await engine.definitionXml('process', source.id), source.resource).map((e) => [e.id, e.attrs.name ?? '']));
  return { migrated: 0, problems: explainReport(report, names) };
}

/** What the modeler reads from the API: definitions, versions, deployments, forms, problems, diffs and live counts. */

export type Kind = 'process' | 'decision' | 'form';
export type DefinitionKind = Exclude<Kind, 'form'>;

export const KIND_LABEL: Record<Kind, string> = { process: '流程', decision: '决策', form: '表单' };
export const EXTENSION: Record<Kind, string> = { process: '.bpmn', decision: '.dmn', form: '.form' };

/** A deployed process or decision definition (one version of a key). */
export interface Definition {
  id: string;
  kind: DefinitionKind;
  key: string;
  name: string | null;
  version: number;
  resource: string;
}

/** One version in a key's history, with who deployed it and why. */
export interface Version extends Definition {
  deploymentTime: string | null;
  deployedBy?: string | null;
  source?: string | null;
  comment: string | null;
  running: number | null;
}

export interface Deployment {
  deploymentTime: string;
  deployedBy?: string | null;
  source?: string | null;
  comment: string | null;
  resources: string[];
}

/** A task form and the user tasks that link it. */
export interface FormSummary {
  formId: string;
  version: number;
  resourceName: string;
  usedBy: { taskId: string; name: string | null; processKey: string }[];
}

export interface FormDocument extends FormSummary {
  schema: Record<string, unknown>;
}

/** A problem the server's check (or a refused deployment) found, on the element it names. */
export interface Problem {
  file: string;
  elementId?: string | null;
  message: string;
}

/** A running work order a deployment would affect. */
export interface Impact {
  elementId?: string | null;
  processKey: string;
  message: string;
}

export interface Change {
  attribute: string;
  before: string | null;
  after: string | null;
}

export interface RuleRow {
  inputs: string[];
  outputs: string[];
}

export interface DiffItem {
  id: string;
  type: string;
  name?: string | null;
  changes: Change[];
  before?: RuleRow | null;
  after?: RuleRow | null;
}

export interface Diff {
  from: number;
  to: number;
  added: DiffItem[];
  removed: DiffItem[];
  changed: DiffItem[];
}

/** Per activity: work orders waiting there, incidents, and how many of them are overdue. */
export interface LiveActivity {
  running: number;
  incidents: number;
  overdue: number;
}

export interface DeployResult {
  definitions: { kind: DefinitionKind; key: string; version: number }[];
}

/** Who deployed a version: the admin, or the start script from the bpmn/ folder. */
export function deployedBy(d: { deployedBy?: string | null; source?: string | null }): string {
  if (d.deployedBy) return d.deployedBy;
  return d.source === 'hotline-start' ? '系统启动（bpmn/ 目录）' : (d.source ?? '—');
}

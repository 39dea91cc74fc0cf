/** The server routes the modeler uses, on the shared API client (session cookie and CSRF token). */
import { api, get, post, query } from '../../web-shared/src/api';
import type { Definition, DefinitionKind, Deployment, DeployResult, Diff, FormDocument, FormSummary, LiveActivity, Problem, Version } from './model';

const enc = encodeURIComponent;

export interface LintFile {
  name: string;
  content: string;
}

export interface InstanceCounts {
  versions: { version: number; running: number }[];
}

export interface MigrationResult {
  migrated: number;
}

export const modelerApi = {
  definitions: () => get<{ items: Definition[] }>('/api/definitions'),
  deployments: () => get<{ items: Deployment[] }>('/api/deployments?maxResults=30'),
  xml: (kind: DefinitionKind, id: string) => get<{ xml: string }>(`/api/definitions/${kind}/${enc(id)}/xml`),
  lint: (files: LintFile[]) => post<{ problems: Problem[] }>('/api/deployments/lint', { files }),
  versions: (kind: DefinitionKind, key: string) => get<{ items: Omit<Version, 'kind'>[] }>(`/api/definitions/${kind}/${enc(key)}/versions`),
  diff: (kind: DefinitionKind, key: string, from: number, to: number) => get<Diff>(`/api/definitions/${kind}/${enc(key)}/diff${query({ from, to })}`),
  redeploy: (kind: DefinitionKind, id: string, comment: string, confirm = false) =>
    post<DeployResult>(`/api/definitions/${kind}/${enc(id)}/redeploy`, { comment, confirm }),
  instances: (key: string) => get<InstanceCounts>(`/api/definitions/process/${enc(key)}/instances`),
  migrate: (key: string, fromVersion: number, toVersion: number) =>
    post<MigrationResult>(`/api/definitions/process/${enc(key)}/migrate`, { fromVersion, toVersion }),
  forms: () => get<{ items: FormSummary[] }>('/api/forms'),
  form: (formId: string) => get<FormDocument>(`/api/forms/${enc(formId)}`),
  live: (key: string) => get<{ activities: Record<string, LiveActivity> }>(`/api/definitions/process/${enc(key)}/live`),
  deploy(files: LintFile[], comment: string, confirm = false) {
    const form = new FormData();
    form.append('comment', comment);
    if (confirm) form.append('confirm', 'true');
    for (const f of files) form.append('files', new Blob([f.content], { type: 'application/xml' }), f.name);
    return api<DeployResult>('POST', '/api/deployments', form);
  },
};

/**
 * The deployed task forms. The engine's REST API lists no form definitions, but every `.form` is a
 * deployment resource: its versions are the deployments that carried its id (the JSON `id`, which user
 * tasks name in camunda:formRef), newest first, as the engine numbers them.
 */
import { parseXmlTree, withContainers } from '../../core/bpmn/tree';
import type { EngineClient } from '../../core/engine/client';

export interface FormVersion {
  formId: string;
  resourceName: string;
  resourceId: string;
  deploymentId: string;
  deploymentTime: string;
  /** How many deployments carried this form id up to and including this one. */
  version: number;
}

export interface FormUse {
  processKey: string;
  taskId: string;
  name: string | null;
}

interface DeployedForm {
  formId: string;
  resourceName: string;
  resourceId: string;
}

const PAGE = 200;
const PARALLEL = 20;

function formIdOf(json: string): string | null {
  try {
    const id = (JSON.parse(json) as { id?: unknown }).id;
    return typeof id === 'string' && id ? id : null;
  } catch {
    return null;
  }
}

/**
 * Reads the forms of every deployment. A deployment's resources never change once deployed, so what was
 * read of one is kept by its id; the list of deployments itself is asked for on every call (deleted or new
 * deployments are never missed).
 */
export function formCatalog(engine: EngineClient) {
  const formsOf = new Map<string, DeployedForm[]>();

  async function readForms(deploymentId: string): Promise<DeployedForm[]> {
    const resources = (await engine.deploymentResources(deploymentId)).filter((r) => r.name.endsWith('.form'));
    const forms = await Promise.all(
      resources.map(async (r) => ({ formId: formIdOf(await engine.deploymentResourceText(deploymentId, r.id)), resourceName: r.name, resourceId: r.id })),
    );
    return forms.filter((f): f is DeployedForm => f.formId !== null);
  }

  /** Every deployment, newest first. */
  async function allDeployments() {
    const out = [];
    for (let first = 0; ; first += PAGE) {
      const page = await engine.deployments(first, PAGE);
      out.push(...page);
      if (page.length < PAGE) return out;
    }
  }

  /** Every version of every form, newest first per form id. */
  async function versions(): Promise<Map<string, FormVersion[]>> {
    const deployments = await allDeployments();
    const unread = deployments.filter((d) => !formsOf.has(d.id));
    for (let i = 0; i < unread.length; i += PARALLEL) {
      const batch = unread.slice(i, i + PARALLEL);
      const read = await Promise.all(batch.map((d) => readForms(d.id)));
      batch.forEach((d, j) => formsOf.set(d.id, read[j]));
    }
    const byForm = new Map<string, FormVersion[]>();
    for (const d of deployments) {
      for (const f of formsOf.get(d.id) ?? [])
        byForm.set(f.formId, [...(byForm.get(f.formId) ?? []), { ...f, deploymentId: d.id, deploymentTime: d.deploymentTime, version: 0 }]);
    }
    for (const list of byForm.values()) list.forEach((v, i) => (v.version = list.length - i));
    return byForm;
  }

  return {
    /** The latest version of each form, by form id. */
    async latest(): Promise<FormVersion[]> {
      return [...(await versions()).values()].map((list) => list[0]).sort((a, b) => a.formId.localeCompare(b.formId));
    },
    /** The latest version of one form and its JSON schema; null when no deployment carried it. */
    async schema(formId: string): Promise<{ version: FormVersion; schema: Record<string, unknown> } | null> {
      const latest = (await versions()).get(formId)?.[0];
      if (!latest) return null;
      return { version: latest, schema: JSON.parse(await engine.deploymentResourceText(latest.deploymentId, latest.resourceId)) as Record<string, unknown> };
    },
  };
}

export type FormCatalog = ReturnType<typeof formCatalog>;

/** The user tasks of the latest process definitions, by the form id their camunda:formRef names. */
export async function formUses(engine: EngineClient): Promise<Map<string, FormUse[]>> {
  const definitions = await engine.latestDefinitions('process');
  const xmls = await Promise.all(definitions.map((d) => engine.definitionXml('process', d.id)));
  const uses = new Map<string, FormUse[]>();
  definitions.forEach((d, i) => {
    const process = parseXmlTree(xmls[i]).children.find((c) => c.tag === 'process' && c.attrs.id === d.key);
    if (!process) return;
    for (const { node } of withContainers(process)) {
      const formId = node.tag === 'userTask' ? node.attrs.formRef?.trim() : undefined;
      if (formId) uses.set(formId, [...(uses.get(formId) ?? []), { processKey: d.key, taskId: node.attrs.id, name: node.attrs.name ?? null }]);
    }
  });
  return uses;
}

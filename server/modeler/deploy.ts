/**
 * The one way the modeler deploys (upload and rollback alike): lint, then ask for confirmation when running
 * work orders would be affected, then deploy under the admin's name (`modeler:<username>` as the source).
 */
import { lintFiles, type LintFile, type LintProblem } from '../../core/bpmn/lint';
import { EngineError, type Deployment, type EngineClient } from '../../core/engine/client';
import { createHandlers, type WorkerDeps } from '../../workers/handlers';
import { apiError } from '../plugins/errors';
import { deploymentImpacts, type Impact } from './impacts';

/** Modeler deployments carry the admin's username in the engine's `source`; the start script uses `hotline-start`. */
export const MODELER_SOURCE = 'modeler:';

// Building the handlers needs no live dependency: only their topics are read.
export const WORKER_TOPICS = createHandlers({} as WorkerDeps).map((w) => w.topic);

export type DefinitionKind = 'process' | 'decision';

export interface DeployedDefinition {
  key: string;
  version: number;
  kind: DefinitionKind;
}

/** The answer to send: 201 with what was deployed, or the refusal (422 lint/engine, 409 confirmation). */
export type DeployOutcome =
  | { status: 201; body: { deploymentId: string; definitions: DeployedDefinition[] } }
  | { status: 409 | 422; body: ReturnType<typeof apiError> & { problems?: LintProblem[]; impacts?: Impact[] } };

export const lint = (files: LintFile[]) => lintFiles(files, { workerTopics: WORKER_TOPICS });

function deployedDefinitions(d: Deployment): DeployedDefinition[] {
  const list = (defs: Deployment['deployedProcessDefinitions'], kind: DefinitionKind) => Object.values(defs ?? {}).map((x) => ({ key: x.key, version: x.version, kind }));
  return [...list(d.deployedProcessDefinitions, 'process'), ...list(d.deployedDecisionDefinitions, 'decision')];
}

/**
 * An admin's deployment always makes a new version of every file it carries: the engine's "changed only"
 * compares with the last deployment of the same name, not with the newest version, and would silently skip
 * a restore or a rollback that equals an earlier deployment.
 */
export async function checkedDeploy(engine: EngineClient, req: { files: LintFile[]; comment: string; username: string; confirm: boolean }): Promise<DeployOutcome> {
  const problems = lint(req.files);
  if (problems.length > 0) return { status: 422, body: { ...apiError('lint_failed', `校验未通过，共 ${problems.length} 个问题`, `${problems.length} lint problem(s)`), problems } };
  if (!req.confirm) {
    const impacts = await deploymentImpacts(engine, req.files);
    if (impacts.length > 0) {
      return {
        status: 409,
        body: { ...apiError('confirmation_required', `此次部署会影响 ${impacts.length} 处运行中的工单，请确认后再部署`, `${impacts.length} impact(s) on running instances; send confirm=true to deploy`), impacts },
      };
    }
  }
  try {
    const deployment = await engine.deploy(req.comment, req.files, { source: `${MODELER_SOURCE}${req.username}`, changedOnly: false });
    return { status: 201, body: { deploymentId: deployment.id, definitions: deployedDefinitions(deployment) } };
  } catch (e) {
    if (!(e instanceof EngineError) || e.status >= 500) throw e;
    return { status: 422, body: { ...apiError('engine_rejected', `流程引擎拒绝部署：${e.message}`, e.message), problems: [] } };
  }
}

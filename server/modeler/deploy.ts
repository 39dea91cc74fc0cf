/**
 * The one way the modeler deploys (upload and rollback alike): lint, then ask for confirmation when running
 * work orders would be affected, then deploy under the admin's name (`modeler:<username>` as the source).
 * One engine call changes state (the deployment, atomic in the engine), so no crash leaves half of it.
 */
import { lintFiles, type LintFile, type LintProblem } from '../../core/bpmn/lint';
import { EngineError, type Deployment, type EngineClient } from '../../core/engine/client';
import { ConflictError, ValidationError } from '../../core/errors';
import type { DispatchSuggester } from '../../core/dispatch/suggester';
import { createHandlers, type WorkerDeps } from '../../workers/handlers';
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

/** What was deployed. */
export interface DeployOutcome {
  deploymentId: string;
  definitions: DeployedDefinition[];
}

export const lint = (files: LintFile[]) => lintFiles(files, { workerTopics: WORKER_TOPICS });

function deployedDefinitions(d: Deployment): DeployedDefinition[] {
  const list = (defs: Deployment['deployedProcessDefinitions'], kind: DefinitionKind) =>
    Object.values(defs ?? {}).map((x) => ({ key: x.key, version: x.version, kind }));
  return [...list(d.deployedProcessDefinitions, 'process'), ...list(d.deployedDecisionDefinitions, 'decision')];
}

/**
 * An admin's deployment always makes a new version of every file it carries: the engine's "changed only"
 * compares with the last deployment of the same name, not with the newest version, and would silently skip
 * a restore or a rollback that equals an earlier deployment.
 */
export async function checkedDeploy(
  engine: EngineClient,
  req: { files: LintFile[]; comment: string; username: string; confirm: boolean },
  suggestions: Pick<DispatchSuggester, 'refresh'>,
): Promise<DeployOutcome> {
  const problems: LintProblem[] = lint(req.files);
  if (problems.length > 0) {
    throw new ValidationError('files', `校验未通过，共 ${problems.length} 个问题`, `${problems.length} lint problem(s)`, 422, {
      code: 'lint_failed',
      extra: { problems },
    });
  }
  if (!req.confirm) {
    const impacts: Impact[] = await deploymentImpacts(engine, req.files);
    if (impacts.length > 0) {
      throw new ConflictError(
        'confirm',
        `此次部署会影响 ${impacts.length} 处运行中的工单，请确认后再部署`,
        `${impacts.length} impact(s) on running instances; send confirm=true to deploy`,
        {
          code: 'confirmation_required',
          extra: { impacts },
        },
      );
    }
  }
  try {
    const deployment = await engine.deploy(req.comment, req.files, { source: `${MODELER_SOURCE}${req.username}`, changedOnly: false });
    // Intake's in-process dispatch catalogue follows at once here; other servers within their refresh period.
    await suggestions.refresh().catch(() => undefined);
    return { deploymentId: deployment.id, definitions: deployedDefinitions(deployment) };
  } catch (e) {
    if (!(e instanceof EngineError) || e.status >= 500) throw e;
    throw new ValidationError('files', `流程引擎拒绝部署：${e.message}`, e.message, 422, { code: 'engine_rejected', extra: { problems: [] } });
  }
}

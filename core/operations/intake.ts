/**
 * Registering a case (受理登记, R5.2) and starting its process. Intake commits the work order, its timeline and
 * an outbox row in one transaction and answers at once; the relay then starts the process instance exactly
 * once per business key (the work order's code): it first looks for an instance with that key and adopts it,
 * so a start whose recording was lost to a crash is found again, never repeated.
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CaseRepository, LeaderInstruction, NewCase } from '../cases/repository';
import type { WorkOrder } from '../db/entities';
import type { EngineClient, VariableValue } from '../engine/client';
import type { DispatchSuggester } from '../dispatch/suggester';
import { ConflictError, ValidationError } from '../errors';
import { INSTRUCTION_CHANNEL, type Category } from '../vocabulary';
import type { Faults } from './faults';
import { enqueue, finish, type OutboxRow } from './outbox';
import type { Relay } from './relay';

/** The process every work order runs (bpmn/hotline-case.bpmn). */
export const PROCESS_KEY = 'hotlineCase';

export interface Registered {
  id: string;
  code: string;
  status: string;
  suggestedCategory: Category | null;
  suggestedUnitId: string | null;
  /** Null while the start is pending (the engine slow or down); the relay records it on the work order. */
  processInstanceId: string | null;
  /** The request was sent before under its intake key: nothing was registered now, this is the work order it made. */
  replayed: boolean;
}

export interface ProcessStart extends Record<string, unknown> {
  businessKey: string;
  variables: Record<string, VariableValue>;
}

interface IntakeDeps {
  ds: DataSource;
  cases: CaseRepository;
  suggestions: DispatchSuggester;
  relay: Relay;
  faults: Faults;
  /** How long intake waits for this process's relay to start the instance, to answer with its id. */
  waitMs: number;
}

/**
 * What the process starts with: the work order's fields and the counters the diagram reads. A 领导批示件's
 * instruction travels as `directive*` (the 重点督办 批示 of the ladder is `leaderName`/`instruction`).
 */
export function startVariables(c: WorkOrder, category?: Category, instruction?: LeaderInstruction): Record<string, VariableValue> {
  return {
    caseId: c.id,
    caseCode: c.code,
    channel: c.channel,
    address: c.address,
    content: c.content,
    // 四 D: a flagged case (突发性、敏感性、群体性) is reported at once like a D case (hotline-case.bpmn#flowEmergency)
    caseFlags: (c.flags ?? []).join(','),
    ...(category ? { category } : {}),
    dispatchCount: 0,
    extensionCount: 0,
    revisitAttempts: 0,
    conductIssue: false,
    supervisionLevel: 'none',
    coUnitIds: [],
    ...(instruction
      ? {
          directiveLeader: instruction.leaderName,
          directiveText: instruction.text,
          ...(instruction.dueAt ? { directiveDueAt: instruction.dueAt.toISOString() } : {}),
        }
      : {}),
  };
}

/**
 * What intake accepts beyond each field's own schema: a call names its citizen, address and content; a 领导批示件
 * (一(四)) carries the leader's instruction instead, its due date, if any, still ahead, and the instruction's text
 * is its content when none is given. Returns the work order's fields as registered.
 */
function checkIntake(input: NewCase, now = new Date()): NewCase {
  if (input.channel === INSTRUCTION_CHANNEL) {
    if (!input.instruction)
      throw new ValidationError(
        'instruction',
        '领导批示件须填写批示领导和批示内容',
        'instruction (leaderName, text) is required for the leader-instruction channel',
        400,
      );
    if (input.instruction.dueAt && input.instruction.dueAt.getTime() <= now.getTime())
      throw new ValidationError('instruction.dueAt', '批示办理期限已过', 'instruction.dueAt must be in the future');
    // the matter is what the leader wrote, unless the office described it apart
    return input.content === '' ? { ...input, content: input.instruction.text } : input;
  }
  if (input.instruction)
    throw new ValidationError('instruction', '只有领导批示件（来源渠道 领导批示）填写批示', 'instruction is taken only on the leader-instruction channel');
  if (input.citizenName === '' || input.citizenPhone === '')
    throw new ValidationError('citizen', '请填写反映人姓名和联系电话', 'citizen (name and phone) is required for this channel', 400);
  if (input.address === '') throw new ValidationError('address', '请填写地址', 'address is required for this channel', 400);
  if (input.content === '') throw new ValidationError('content', '请填写诉求内容', 'content is required', 400);
  return input;
}

export async function registerCase(deps: IntakeDeps, input: NewCase & { category?: Category }, actor: string): Promise<Registered> {
  const { category, ...given } = input;
  const checked = checkIntake(given);
  const fields = checked.intakeKey ? { ...checked, intakeDigest: intakeDigest(checked, category) } : checked;
  const suggestion = await deps.suggestions.suggest({ content: fields.content, address: fields.address });
  let row: OutboxRow | null = null;
  const recorded = { category: suggestion.category, unitId: suggestion.unitId, source: suggestion.source };
  const { workOrder: created, replayed } = await deps.cases.register(fields, actor, recorded, async (tx, c) => {
    const start: ProcessStart = { businessKey: c.code, variables: startVariables(c, category, fields.instruction) };
    row = await enqueue(tx, 'process-start', c.code, c.id, start);
  });
  if (replayed) return replay(created, fields);
  deps.faults('intake:after-commit');
  const started = row ? deps.relay.settled((row as OutboxRow).id, deps.waitMs) : Promise.resolve(null);
  deps.relay.wake();
  const result = await started;
  const processInstanceId = typeof result?.processInstanceId === 'string' ? result.processInstanceId : null;
  return {
    id: created.id,
    code: created.code,
    status: created.status,
    suggestedCategory: created.suggestedCategory,
    suggestedUnitId: suggestion.unitId,
    processInstanceId,
    replayed: false,
  };
}

/** The fingerprint of an intake request: everything it asks, in a fixed order (the key itself aside). */
function intakeDigest(fields: NewCase, category: Category | undefined): string {
  const { instruction } = fields;
  const canonical = [
    fields.channel,
    fields.citizenName,
    fields.citizenPhone,
    fields.address,
    fields.content,
    [...(fields.flags ?? [])].sort(),
    category ?? null,
    instruction ? [instruction.leaderName, instruction.text, instruction.dueAt?.toISOString() ?? null] : null,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The work order an intake key made before, when the request is the same call again; another call under it is a conflict. */
function replay(before: WorkOrder, fields: NewCase): Registered {
  if (before.intakeDigest !== fields.intakeDigest)
    throw new ConflictError(
      'headers.idempotency-key',
      `该请求标识已用于登记工单 ${before.code}，内容不同：请刷新后重新填写`,
      `this Idempotency-Key already registered work order ${before.code} from a different request`,
    );
  return {
    id: before.id,
    code: before.code,
    status: before.status,
    suggestedCategory: before.suggestedCategory,
    suggestedUnitId: before.suggestedUnitId,
    processInstanceId: before.processInstanceId,
    replayed: true,
  };
}

/** The relay's step for a `process-start` row: adopt the instance of the business key, or start it; then record it. */
export async function carryOutStart(deps: { ds: DataSource; engine: EngineClient; faults: Faults }, row: OutboxRow): Promise<Record<string, unknown>> {
  const { businessKey, variables } = row.payload as ProcessStart;
  deps.faults('start:before-engine');
  const [existing] = await deps.engine.historicProcessInstances({ businessKey, processDefinitionKey: PROCESS_KEY });
  const processInstanceId = existing ? existing.id : (await deps.engine.startProcess(PROCESS_KEY, businessKey, variables)).id;
  deps.faults('start:after-engine');
  const result = { processInstanceId, adopted: Boolean(existing) };
  await deps.ds.transaction(async (tx) => {
    await tx.query(`UPDATE work_orders SET process_instance_id = $1 WHERE id = $2 AND process_instance_id IS NULL`, [processInstanceId, row.caseId]);
    await finish(tx, row.id, 'done', result);
  });
  return result;
}

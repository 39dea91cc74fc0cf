/**
 * The application layer: every operation that takes more than one step across PostgreSQL and the engine,
 * each one function, crash-consistent at every instant (docs/architecture.md, "Operations"). Routes and
 * workers call these; the outbox relay and the reconciler that finish and check their work run here too.
 *
 * Importing history (history-import.ts) is here too: it writes only PostgreSQL (no process), in one transaction.
 */
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { CalendarRepository, YearNotice } from '../calendar/repository';
import type { CaseRepository, NewCase } from '../cases/repository';
import type { EngineClient } from '../engine/client';
import { createDispatchSuggester, MODEL_CHECK_MS, type DispatchSuggester } from '../dispatch/suggester';
import { createModelStore, type ModelRun, type ModelStore } from '../dispatch/store';
import { refreshChangedMonths } from '../reports/months';
import type { Period } from '../reports/period';
import { createReportRepository } from '../reports/repository';
import type { Attachment } from '../db/entities';
import type { Category } from '../vocabulary';
import { startAdhocReport } from './adhoc-report';
import { attachFile, type AttachmentQuotas, type NewAttachment } from './attachments';
import { carryOutDeadlineMove, carryOutRecompute, loadCalendarYear } from './calendar';
import { carryOutCompletion, completeCaseTask, type TaskCompletion } from './complete-task';
import { faultsFromEnv, type Faults } from './faults';
import { requestTraining } from './dispatch-model';
import { createHistoryImports, type HistoryImports } from './history-import';
import { carryOutStart, registerCase, type Registered } from './intake';
import { backlog, type Backlog } from './outbox';
import { reconcile, type Reconciliation } from './reconcile';
import { createRelay, type Relay } from './relay';
import { carryOutSupervisionRequest, requestSupervision, type RequestedSupervision, type SupervisionRequest } from './supervision';

export interface OperationsOptions {
  /** How long intake waits for the instance to start, to answer with its id (never longer). */
  intakeWaitMs: number;
  relayConcurrency: number;
  relayPollMs: number;
  /** How long a claim on an outbox row holds; a claimer that died is replaced after this. */
  relayLeaseMs: number;
  reconcileMs: number;
  /** How often the in-process dispatch catalogue is compared with the engine's latest. */
  suggestionRefreshMs: number;
  /** A running history import's lease: not renewed for this long, its server is taken for dead and the job failed. */
  importLeaseMs: number;
  /** Rows per INSERT statement of a history import. */
  importBatchRows: number;
  /** How often the months with changes get their report aggregates rebuilt (core/reports/months.ts). */
  reportMonthsMs: number;
}

export const DEFAULT_OPERATIONS: OperationsOptions = {
  intakeWaitMs: 50,
  relayConcurrency: 8,
  relayPollMs: 2000,
  relayLeaseMs: 60_000,
  reconcileMs: 60_000,
  suggestionRefreshMs: 15_000,
  importLeaseMs: 60_000,
  importBatchRows: 1000,
  reportMonthsMs: 60_000,
};

export interface OperationsDeps {
  ds: DataSource;
  engine: EngineClient;
  cases: CaseRepository;
  calendar: CalendarRepository;
  rootDir: string;
  options?: Partial<OperationsOptions>;
  faults?: Faults;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
}

export interface Health {
  engine: { state: 'up' | 'down'; latencyMs: number | null };
  backlog: {
    pendingStarts: number;
    oldestPendingStartSeconds: number | null;
    pendingCompletions: number;
    pendingDeadlineMoves: number;
    pendingRecomputes: number;
    pendingSupervisionRequests: number;
    orphanInstances: number | null;
    duplicateInstances: number | null;
    reconciledAt: string | null;
  } | null;
}

export interface Operations {
  suggestions: DispatchSuggester;
  models: ModelStore;
  relay: Relay;
  /** History import (历史工单导入): closed work orders from an old platform, in the background, all or nothing. */
  imports: HistoryImports;
  registerCase(input: NewCase & { category?: Category }, actor: string): Promise<Registered>;
  attachFile(file: NewAttachment, quotas: AttachmentQuotas): Promise<Omit<Attachment, 'content'>>;
  completeCaseTask(completion: TaskCompletion): Promise<void>;
  /** 六 the office raises a case's supervision level by hand: recorded now, carried to the engine by the relay. */
  requestSupervision(request: SupervisionRequest): Promise<RequestedSupervision>;
  loadCalendarYear(notice: YearNotice): Promise<{ recomputed: number }>;
  startAdhocReport(period: Period, requestedBy: string): Promise<{ processInstanceId: string }>;
  /** Records a training run of the dispatch model and starts its process. */
  requestTraining(actor: string): Promise<ModelRun>;
  reconcile(): Promise<Reconciliation>;
  health(): Promise<Health>;
  /** Starts the relay, the reconciler and the refresh of the dispatch catalogue. */
  start(): void;
  stop(): Promise<void>;
}

export function createOperations(deps: OperationsDeps): Operations {
  const o = { ...DEFAULT_OPERATIONS, ...deps.options };
  const log = deps.log ?? (() => undefined);
  const faults = deps.faults ?? faultsFromEnv();
  const { ds, engine, cases, calendar } = deps;
  const models = createModelStore(ds);
  const reports = createReportRepository(ds);
  const suggestions = createDispatchSuggester({ ds, engine, models, bpmnDir: path.join(deps.rootDir, 'bpmn'), log: (msg) => log('warn', msg) });
  const relay: Relay = createRelay(
    ds,
    {
      'process-start': (row) => carryOutStart({ ds, engine, faults }, row),
      'task-complete': (row) => carryOutCompletion({ ds, engine, cases, faults }, row),
      'deadline-move': (row) => carryOutDeadlineMove({ ds, engine }, row),
      'calendar-recompute': (row) => carryOutRecompute({ ds, cases, calendar, faults, relay, leaseMs: o.relayLeaseMs }, row),
      'supervision-request': (row) => carryOutSupervisionRequest({ ds, engine, faults }, row),
    },
    { concurrency: o.relayConcurrency, pollMs: o.relayPollMs, leaseMs: o.relayLeaseMs, listenUrl: (ds.options as { url?: string }).url, log },
  );
  const imports = createHistoryImports(ds, { leaseMs: o.importLeaseMs, batchRows: o.importBatchRows, log });
  let last: Reconciliation | null = null;
  const timers: NodeJS.Timeout[] = [];

  const ops: Operations = {
    suggestions,
    models,
    relay,
    imports,
    registerCase: (input, actor) => registerCase({ ds, cases, suggestions, relay, faults, waitMs: o.intakeWaitMs }, input, actor),
    attachFile: (file, quotas) => attachFile({ cases }, quotas, file),
    completeCaseTask: (completion) => completeCaseTask({ ds, engine, cases, relay, faults, leaseMs: o.relayLeaseMs }, completion),
    requestTraining: (actor) => requestTraining({ models, engine }, actor),
    requestSupervision: (request) => requestSupervision({ ds, engine, cases, relay, faults }, request),
    startAdhocReport: (period, requestedBy) => startAdhocReport({ ds, engine, reports }, period, requestedBy),
    loadCalendarYear: (notice) => loadCalendarYear({ ds, cases, calendar, relay, faults, leaseMs: o.relayLeaseMs }, notice),
    async reconcile() {
      const found = await reconcile(ds, engine);
      if (found.orphans + found.duplicates > 0 && (found.orphans !== last?.orphans || found.duplicates !== last?.duplicates)) {
        log(
          'warn',
          `process instances without their work order: ${found.orphans} orphan(s), ${found.duplicates} duplicate(s), e.g. ${JSON.stringify(found.examples)}`,
        );
      }
      last = found;
      return found;
    },
    async health() {
      const began = Date.now();
      const [latencyMs, rows] = await Promise.all([
        engine.engines().then(
          () => Date.now() - began,
          () => null,
        ),
        backlog(ds).catch((): Backlog[] | null => null),
      ]);
      const pending = (kind: Backlog['kind']) => rows?.find((r) => r.kind === kind);
      return {
        engine: { state: latencyMs === null ? 'down' : 'up', latencyMs },
        backlog: rows && {
          pendingStarts: pending('process-start')?.pending ?? 0,
          oldestPendingStartSeconds: pending('process-start')?.oldestSeconds ?? null,
          pendingCompletions: pending('task-complete')?.pending ?? 0,
          pendingDeadlineMoves: pending('deadline-move')?.pending ?? 0,
          pendingRecomputes: pending('calendar-recompute')?.pending ?? 0,
          pendingSupervisionRequests: pending('supervision-request')?.pending ?? 0,
          orphanInstances: last?.orphans ?? null,
          duplicateInstances: last?.duplicates ?? null,
          reconciledAt: last?.checkedAt ?? null,
        },
      };
    },
    start() {
      relay.start();
      const quietly = (what: string, p: Promise<unknown>) =>
        void p.catch((e: unknown) => log('warn', `${what}: ${e instanceof Error ? e.message : String(e)}`));
      quietly('dispatch catalogue', suggestions.refresh());
      quietly('reconcile', ops.reconcile());
      quietly('history imports', imports.sweepStale());
      timers.push(setInterval(() => quietly('dispatch catalogue', suggestions.refresh()), o.suggestionRefreshMs));
      timers.push(setInterval(() => quietly('dispatch model', suggestions.refreshModel()), MODEL_CHECK_MS));
      timers.push(setInterval(() => quietly('reconcile', ops.reconcile()), o.reconcileMs));
      timers.push(setInterval(() => quietly('history imports', imports.sweepStale()), o.importLeaseMs));
      timers.push(setInterval(() => quietly('report months', refreshChangedMonths(ds)), o.reportMonthsMs));
      for (const t of timers) t.unref();
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      await imports.stop();
      await relay.stop();
    },
  };
  return ops;
}

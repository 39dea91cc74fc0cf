/** Every worker of the system, built from its injected dependencies. One module per topic. */
import type { CalendarRepository } from '../core/calendar/repository';
import type { CaseRepository } from '../core/cases/repository';
import type { EngineClient } from '../core/engine/client';
import { caseCoDeadlineWorker, caseCoOverdueWorker, caseCoReminderWorker } from './topics/case-co-input';
import { caseDeadlineWorker } from './topics/case-deadline';
import { caseEmergencyWorker } from './topics/case-emergency';
import { caseFirstResponseWorker } from './topics/case-first-response';
import { caseExtensionRefusedWorker, caseExtensionRequestedWorker, caseExtensionWorker } from './topics/case-extension';
import { caseOverdueWorker } from './topics/case-overdue';
import { casePlanWorker } from './topics/case-plan';
import { caseRevisitAttemptWorker } from './topics/case-revisit-attempt';
import { caseStatusWorker } from './topics/case-status';
import { caseSuggestWorker, dispatchModelTrainWorker, type TrainWorkerDeps } from './topics/dispatch';
import { caseSupervisionWorker, caseTransferWorker } from './topics/case-supervision';
import { reportCompileWorker, reportPublishWorker, type ReportWorkerDeps } from './topics/report';
import type { Worker } from './types';

export interface WorkerDeps extends ReportWorkerDeps, TrainWorkerDeps {
  cases: CaseRepository;
  calendar: CalendarRepository;
  engine: EngineClient;
}

export function createHandlers(deps: WorkerDeps): Worker[] {
  return [
    caseStatusWorker(deps),
    caseSuggestWorker(deps),
    dispatchModelTrainWorker(deps),
    caseDeadlineWorker(deps),
    caseEmergencyWorker(deps),
    caseFirstResponseWorker(deps),
    casePlanWorker(deps),
    caseExtensionRequestedWorker(deps),
    caseExtensionWorker(deps),
    caseExtensionRefusedWorker(deps),
    caseOverdueWorker(deps),
    caseSupervisionWorker(deps),
    caseTransferWorker(deps),
    caseRevisitAttemptWorker(deps),
    caseCoDeadlineWorker(deps),
    caseCoReminderWorker(deps),
    caseCoOverdueWorker(deps),
    reportCompileWorker(deps),
    reportPublishWorker(deps),
  ];
}

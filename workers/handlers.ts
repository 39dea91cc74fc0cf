/** Every worker of the system, built from its injected dependencies. One module per topic. */
import type { CalendarRepository } from '../core/calendar/repository';
import type { CaseRepository } from '../core/cases/repository';
import { caseDeadlineWorker } from './topics/case-deadline';
import { caseOverdueWorker } from './topics/case-overdue';
import { caseStatusWorker } from './topics/case-status';
import type { Worker } from './types';

export interface WorkerDeps {
  cases: CaseRepository;
  calendar: CalendarRepository;
}

export function createHandlers(deps: WorkerDeps): Worker[] {
  return [caseStatusWorker(deps), caseDeadlineWorker(deps), caseOverdueWorker(deps)];
}

/**
 * Topics `report-compile` and `report-publish` (R7.4): the scheduled 周分析 / 月通报 / 年终考核 and the office's
 * 不定期点评 of bpmn/assessment.bpmn. Compile reports on the last complete period before the timer fired (or on an
 * explicit `period`) and stores it by (kind, period); publish marks it published after the office's review.
 */
import type { Report } from '../../core/reports/compile';
import { lastCompletePeriod, parsePeriod, REPORT_KINDS, type Period, type ReportKind } from '../../core/reports/period';
import type { ReportRepository } from '../../core/reports/repository';
import { isString, required, type Worker } from '../types';

const isKind = (v: unknown): v is ReportKind => typeof v === 'string' && (REPORT_KINDS as readonly string[]).includes(v);

export interface ReportWorkerDeps {
  reports: ReportRepository;
  compileReport: (period: Period) => Promise<Report>;
}

/**
 * The period to report on: an explicit `period` of the kind, else the last complete one before `firedAt`.
 * A 不定期点评 has no schedule: the office names its range when it starts one.
 */
export function reportPeriod(kind: ReportKind, input: Record<string, unknown>): Period {
  if (isString(input.period)) {
    const explicit = parsePeriod(kind, input.period);
    if (!explicit) throw new Error(`input variable "period" ${JSON.stringify(input.period)} is not a ${kind} period`);
    return explicit;
  }
  if (kind === 'adhoc') throw new Error('input variable "period" is required for an adhoc report (e.g. 2026-11-01~2026-11-20)');
  const fired = input.firedAt instanceof Date ? input.firedAt : typeof input.firedAt === 'string' ? new Date(input.firedAt) : new Date();
  if (Number.isNaN(fired.getTime())) throw new Error(`input variable "firedAt" ${JSON.stringify(input.firedAt)} is not an instant`);
  return lastCompletePeriod(kind, fired);
}

export function reportCompileWorker({ reports, compileReport }: ReportWorkerDeps): Worker {
  return {
    topic: 'report-compile',
    variables: ['kind', 'firedAt', 'period'],
    async handler(input) {
      const kind = required(input, 'kind', isKind, `one of ${REPORT_KINDS.join(', ')}`);
      const stored = await reports.saveCompiled(await compileReport(reportPeriod(kind, input)));
      return { reportKind: kind, period: stored.period, reportId: stored.id, reportStatus: stored.status };
    },
  };
}

export function reportPublishWorker({ reports }: Pick<ReportWorkerDeps, 'reports'>): Worker {
  return {
    topic: 'report-publish',
    variables: ['reportKind', 'period', 'reviewedBy', 'comment'],
    async handler(input) {
      const kind = required(input, 'reportKind', isKind, `one of ${REPORT_KINDS.join(', ')}`);
      const period = required(input, 'period', isString, 'the period label');
      const by = isString(input.reviewedBy) ? input.reviewedBy : 'office';
      const stored = await reports.publish(kind, period, by, isString(input.comment) ? input.comment : null);
      return { reportStatus: stored.status };
    },
  };
}

/**
 * The office's 不定期点评 (R7.4): one assessment process per period. Whether one is published or under way and
 * starting one are a check and its act, so they run one at a time per period across every server (a named
 * lock); the engine holds the instance, PostgreSQL nothing yet, so a crash at any point leaves either no
 * instance (start again) or one (a second request is refused).
 */
import type { DataSource } from 'typeorm';
import { oneAtATime } from '../db/lock';
import type { EngineClient } from '../engine/client';
import { ConflictError } from '../errors';
import type { Period } from '../reports/period';
import type { ReportRepository } from '../reports/repository';

/** The process the office starts for a 不定期点评 (bpmn/assessment.bpmn). */
export const ADHOC_PROCESS = 'assessmentAdhoc';

export async function startAdhocReport(
  { ds, engine, reports }: { ds: DataSource; engine: EngineClient; reports: ReportRepository },
  period: Period,
  requestedBy: string,
): Promise<{ processInstanceId: string }> {
  const businessKey = `adhoc:${period.label}`;
  return oneAtATime(ds, businessKey, async () => {
    if ((await reports.get('adhoc', period.label))?.status === 'published') {
      throw new ConflictError('period', `${period.label} 的点评报告已发布`, `the adhoc report of ${period.label} is already published`);
    }
    if ((await engine.processInstanceCount({ processDefinitionKey: ADHOC_PROCESS, businessKey })) > 0) {
      throw new ConflictError('period', `${period.label} 的点评报告正在编制或审核中`, `an adhoc report of ${period.label} is being compiled or reviewed`);
    }
    const instance = await engine.startProcess(ADHOC_PROCESS, businessKey, { period: period.label, requestedBy });
    return { processInstanceId: instance.id };
  });
}

/**
 * Why a call is guided elsewhere instead of handled (R3.5–R3.7) is policy: the decision table
 * `caseGuideReasons` (bpmn/case-guide.dmn) lists each reason with its Chinese label and a suggested
 * guidance text, optionally only for some tasks. Forms offer, the server accepts and the timeline shows
 * exactly what the deployed table says; adding a reason is a table edit.
 */
import { EngineError, type EngineClient } from '../engine/client';

export const GUIDE_DECISION = 'caseGuideReasons';

export interface GuideReason {
  value: string;
  label: string;
  advice: string | null;
}

const text = (cell: { value: unknown } | undefined): string | null => (typeof cell?.value === 'string' && cell.value.trim() !== '' ? cell.value : null);

/** The reasons the deployed table offers at a task (its definition key); none when the table is not deployed. */
export async function guideReasons(engine: EngineClient, taskKey: string): Promise<GuideReason[]> {
  let rows: Awaited<ReturnType<EngineClient['evaluateDecision']>>;
  try {
    rows = await engine.evaluateDecision(GUIDE_DECISION, { taskKey });
  } catch (e) {
    if (e instanceof EngineError && e.status === 404) return [];
    throw e;
  }
  const seen = new Set<string>();
  const reasons: GuideReason[] = [];
  for (const row of rows) {
    const value = text(row.reason);
    if (!value || seen.has(value)) continue;
    seen.add(value);
    reasons.push({ value, label: text(row.label) ?? value, advice: text(row.advice) });
  }
  return reasons;
}

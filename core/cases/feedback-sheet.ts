/**
 * 《领导批示件办理情况反馈单》 (一(四) 领导批示件的转办、督办和反馈): what the office reports back to the instructing
 * leader, read from the work order, its instruction, its supervision notices and the last completion of each task
 * that answers part of it. A part not done yet is null: the printed sheet leaves its line blank.
 */
import type { CaseEvent, SupervisionNotice, WorkOrder } from '../db/entities';
import type { FeedbackSheet } from './feedback-sheet-shape';
import type { LeaderInstruction } from './repository';

interface Completion {
  actor: string;
  at: Date;
  v: Record<string, unknown>;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

function lastCompleted(timeline: CaseEvent[], taskKey: string): Completion | null {
  const e = [...timeline].reverse().find((x) => x.type === 'task-completed' && x.data.taskKey === taskKey);
  return e ? { actor: e.actor, at: e.occurredAt, v: record(e.data.variables) } : null;
}

export function feedbackSheet(c: WorkOrder, instruction: LeaderInstruction, timeline: CaseEvent[], notices: SupervisionNotice[]): FeedbackSheet {
  const handled = lastCompleted(timeline, 'handle');
  const signed = lastCompleted(timeline, 'leaderSignoff');
  const reviewed = lastCompleted(timeline, 'review');
  const reported = lastCompleted(timeline, 'instructionFeedback');
  const feedback = record(handled?.v.feedback);
  const responsible = record(feedback.responsible);
  const dueAt = c.dueAt ?? instruction.dueAt;
  return {
    code: c.code,
    leaderName: instruction.leaderName,
    instruction: instruction.text,
    content: c.content,
    registeredAt: c.createdAt,
    leadUnitId: c.leadUnitId,
    dispatchedAt: c.dispatchedAt,
    dueAt,
    dueByInstruction: Boolean(dueAt && instruction.dueAt && dueAt.getTime() === instruction.dueAt.getTime()),
    notices: notices.map((n) => ({ level: n.level, number: n.number, issuedAt: n.issuedAt })),
    handling: handled
      ? {
          process: text(feedback.process),
          result: text(feedback.result),
          responsible: [text(responsible.name), text(responsible.title)].filter(Boolean).join(' ') || null,
          at: handled.at,
        }
      : null,
    signoff: signed ? { approved: signed.v.signoffApproved === true, by: signed.actor, at: signed.at } : null,
    review: reviewed && reviewed.v.reviewOutcome === 'accept' ? { at: reviewed.at } : null,
    report: reported ? { text: text(reported.v.directiveReport) ?? '', by: reported.actor, at: reported.at } : null,
  };
}

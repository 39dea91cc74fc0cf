/**
 * The shape of the 《领导批示件办理情况反馈单》 (core/cases/feedback-sheet.ts builds it): no imports, so the printable
 * page of the workbench reads the API's answer with the same type.
 */
/** The sheet; `I` is how an instant is carried: a Date here, its ISO string in the API's answer. */
export interface FeedbackSheet<I = Date> {
  code: string;
  leaderName: string;
  instruction: string;
  content: string;
  registeredAt: I;
  leadUnitId: string | null;
  dispatchedAt: I | null;
  /** The deadline in force (an approved extension moves it), else the leader's own date. */
  dueAt: I | null;
  /** The deadline is the leader's own date. */
  dueByInstruction: boolean;
  notices: { level: string; number: string; issuedAt: I }[];
  handling: { process: string | null; result: string | null; responsible: string | null; at: I } | null;
  signoff: { approved: boolean; by: string; at: I } | null;
  review: { at: I } | null;
  report: { text: string; by: string; at: I } | null;
}

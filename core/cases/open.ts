import type { CaseStatus } from '../db/entities';

/** A work order is open until it is closed (办结), answered on the spot (即办), guided (引导) or transferred (移交). */
export const OPEN_STATUSES: readonly CaseStatus[] = ['registered', 'dispatched', 'returned', 'reviewing', 'revisiting'];

/** The same list as an SQL literal, so the planner can match the partial indexes defined with it. */
export const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

import { sqlList } from '../db/sql';
import { OPEN_STATUSES } from '../vocabulary';

export { OPEN_STATUSES };

/** The open statuses as an SQL literal, so the planner can match the partial indexes defined with it. */
export const OPEN_SQL = sqlList(OPEN_STATUSES);

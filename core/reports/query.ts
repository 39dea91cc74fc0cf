/**
 * The report queries run with more sort and hash memory than PostgreSQL's default 4 MB, set for their own
 * transaction only: a year's closed cases then sort in memory for the handling-time percentile, and the hash joins
 * of a year's revisits and overdue cases stay in one batch instead of spilling to disk.
 */
import type { DataSource } from 'typeorm';

export const REPORT_WORK_MEM = '64MB';

export function reportQuery<T = Record<string, unknown>>(ds: DataSource, sql: string, args: unknown[]): Promise<T[]> {
  return ds.transaction(async (m) => {
    await m.query(`SELECT set_config('work_mem', '${REPORT_WORK_MEM}', true)`);
    return (await m.query(sql, args)) as T[];
  });
}

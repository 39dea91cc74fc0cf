/**
 * Stored reports, one per (kind, period). A compiled report may be compiled again (the engine delivers
 * at least once, and a rerun picks up late corrections) until the office publishes it; a published
 * report is the official bulletin and never changes.
 */
import type { DataSource } from 'typeorm';
import type { Report } from './compile';
import type { ReportKind } from './period';

export interface StoredReport {
  id: string;
  kind: ReportKind;
  period: string;
  status: 'compiled' | 'published';
  compiledAt: Date;
  publishedBy: string | null;
  publishedAt: Date | null;
  comment: string | null;
  data: Report;
}

export interface ReportRepository {
  /** Stores the compiled report unless the period's report is already published; returns the stored one. */
  saveCompiled(report: Report): Promise<StoredReport>;
  /** Marks it published once; a second call changes nothing. */
  publish(kind: ReportKind, period: string, by: string, comment: string | null): Promise<StoredReport>;
  get(kind: ReportKind, period: string): Promise<StoredReport | null>;
}

const COLUMNS = `id, kind, period, status, compiled_at AS "compiledAt", published_by AS "publishedBy", published_at AS "publishedAt", comment, data`;

export function createReportRepository(ds: DataSource): ReportRepository {
  const repo: ReportRepository = {
    async saveCompiled(report) {
      await ds.query(
        `INSERT INTO reports(kind, period, data) VALUES ($1, $2, $3)
         ON CONFLICT (kind, period) DO UPDATE SET data = EXCLUDED.data, compiled_at = now() WHERE reports.status = 'compiled'`,
        [report.kind, report.period, JSON.stringify(report)],
      );
      return (await repo.get(report.kind, report.period))!;
    },

    async publish(kind, period, by, comment) {
      await ds.query(
        `UPDATE reports SET status = 'published', published_by = $3, published_at = now(), comment = $4 WHERE kind = $1 AND period = $2 AND status = 'compiled'`,
        [kind, period, by, comment],
      );
      const stored = await repo.get(kind, period);
      if (!stored) throw new Error(`report ${kind} ${period} was never compiled`);
      return stored;
    },

    async get(kind, period) {
      const rows = (await ds.query(`SELECT ${COLUMNS} FROM reports WHERE kind = $1 AND period = $2`, [kind, period])) as StoredReport[];
      return rows[0] ?? null;
    },
  };
  return repo;
}

/**
 * Finds process instances of a work order's process that no work order stands for: an orphan (its business
 * key names no work order: left by versions that started the instance inside the intake transaction, or
 * started by hand) or a duplicate (the work order records another instance). They are reported, not
 * cancelled: an orphan may carry the only record of a call, and which of two instances holds the real work
 * is for a person to judge.
 */
import type { DataSource } from 'typeorm';
import type { EngineClient } from '../engine/client';
import { PROCESS_KEY } from './intake';

export interface Reconciliation {
  checkedAt: string;
  running: number;
  orphans: number;
  duplicates: number;
  /** A few of them, to look at. */
  examples: { processInstanceId: string; businessKey: string | null; kind: 'orphan' | 'duplicate' }[];
}

const PAGE = 1000;

export async function reconcile(ds: DataSource, engine: EngineClient): Promise<Reconciliation> {
  const found: Reconciliation = { checkedAt: new Date().toISOString(), running: 0, orphans: 0, duplicates: 0, examples: [] };
  for (let first = 0; ; first += PAGE) {
    const page = await engine.processInstances({ processDefinitionKey: PROCESS_KEY }, first, PAGE);
    found.running += page.length;
    const codes = page.map((p) => p.businessKey).filter((k): k is string => k !== null);
    const rows: { code: string; pid: string | null }[] = codes.length
      ? await ds.query(`SELECT code, process_instance_id AS pid FROM work_orders WHERE code = ANY($1)`, [codes])
      : [];
    const byCode = new Map(rows.map((r) => [r.code, r.pid]));
    for (const p of page) {
      const recorded = p.businessKey === null ? undefined : byCode.get(p.businessKey);
      // Recorded null: the start is pending and the relay will adopt this instance.
      const kind = recorded === undefined ? 'orphan' : recorded !== null && recorded !== p.id ? 'duplicate' : null;
      if (!kind) continue;
      found[kind === 'orphan' ? 'orphans' : 'duplicates']++;
      if (found.examples.length < 10) found.examples.push({ processInstanceId: p.id, businessKey: p.businessKey, kind });
    }
    if (page.length < PAGE) return found;
  }
}

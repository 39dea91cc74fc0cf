/**
 * The category (caseCategory) and lead unit (caseUnit) suggested for a call, from the same decision tables
 * the process evaluates, but in-process: intake and the operator's typing never wait for the engine. The
 * tables are the engine's latest deployed versions, read once per definition id; until the engine has
 * answered (or when it cannot), the files in bpmn/ stand in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EngineClient } from '../engine/client';
import { CATEGORIES, type Category } from '../vocabulary';
import { compileDecisionTable, type CompiledTable } from './decision-table';

export interface Suggestion {
  category: Category | null;
  unitId: string | null;
}

export interface Suggester {
  suggest(input: { content: string; address: string }): Suggestion;
  /** Reads the latest deployed tables again (after a deployment, and periodically for other servers' deployments). */
  refresh(): Promise<void>;
}

const TABLES = { caseCategory: 'case-category.dmn', caseUnit: 'case-unit.dmn' } as const;
type Key = keyof typeof TABLES;

export function createSuggester(engine: EngineClient, bpmnDir: string, log: (msg: string) => void = () => undefined): Suggester {
  const current = new Map<Key, { definitionId: string | null; table: CompiledTable | null }>();
  for (const key of Object.keys(TABLES) as Key[]) {
    try {
      current.set(key, { definitionId: null, table: compileDecisionTable(readFileSync(path.join(bpmnDir, TABLES[key]), 'utf8'), key) });
    } catch (e) {
      log(`suggestions: bpmn/${TABLES[key]} not usable: ${String(e)}`);
      current.set(key, { definitionId: null, table: null });
    }
  }

  return {
    suggest({ content, address }) {
      const vars = { content, address };
      const category = current.get('caseCategory')?.table?.evaluate(vars)?.suggestedCategory;
      const unit = current.get('caseUnit')?.table?.evaluate(vars)?.suggestedUnitId;
      return {
        category: (CATEGORIES as readonly unknown[]).includes(category) ? (category as Category) : null,
        unitId: typeof unit === 'string' && unit ? unit : null,
      };
    },

    async refresh() {
      const deployed = await engine.latestDefinitions('decision');
      for (const key of Object.keys(TABLES) as Key[]) {
        const d = deployed.find((x) => x.key === key);
        if (!d || current.get(key)?.definitionId === d.id) continue;
        const xml = await engine.definitionXml('decision', d.id);
        try {
          current.set(key, { definitionId: d.id, table: compileDecisionTable(xml, key) });
        } catch (e) {
          // A deployed table the evaluator does not understand gives no suggestion rather than a different one.
          log(`suggestions: ${key} (${d.id}) not usable: ${String(e)}`);
          current.set(key, { definitionId: d.id, table: null });
        }
      }
    },
  };
}

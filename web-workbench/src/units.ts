/** The three-level unit network (GET /api/units), loaded once per session: names and select options. */
import { get } from '../../web-shared/src/api';
import type { User } from '../../web-shared/src/session';
import type { Unit } from './model';

interface Network {
  all: Unit[];
  byId: Map<string, Unit>;
}

let loaded: Promise<Network> | null = null;

export function loadUnits(): Promise<Network> {
  loaded ??= get<Unit[]>('/api/units').then((roots) => {
    const all: Unit[] = [];
    const walk = (nodes: Unit[]) => nodes.forEach((n) => (all.push(n), walk(n.children ?? [])));
    walk(roots);
    return { all, byId: new Map(all.map((u) => [u.id, u])) };
  });
  loaded.catch(() => (loaded = null));
  return loaded;
}

export function forgetUnits(): void {
  loaded = null;
}

export async function unitName(id: string | null | undefined): Promise<string> {
  if (!id) return '—';
  return (await loadUnits()).byId.get(id)?.name ?? id;
}

export interface Option {
  label: string;
  value: string;
}

/**
 * Options for the unit selects in task forms, as form-js `valuesKey` data ([{label, value}]):
 * every level-2 unit, and the level-3 units a user may hand work to (their own, or all for the office).
 */
export async function unitOptions(user: User): Promise<{ level2Units: Option[]; level3Units: Option[] }> {
  const { all, byId } = await loadUnits();
  const own = user.unitId ? byId.get(user.unitId) : undefined;
  const option = (u: Unit): Option => ({ label: u.name, value: u.id });
  return {
    level2Units: all.filter((u) => u.level === 2).map(option),
    level3Units: all.filter((u) => u.level === 3 && (own?.level !== 2 || u.parentId === own.id)).map(option),
  };
}

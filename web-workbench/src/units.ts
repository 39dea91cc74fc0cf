/** The three-level unit network (GET /api/units), loaded once per session: names and select options. */
import { get } from './api.js';

let loaded = null;

export function loadUnits() {
  loaded ??= get('/api/units').then((roots) => {
    const all = [];
    const walk = (nodes) => nodes.forEach((n) => (all.push(n), walk(n.children ?? [])));
    walk(roots);
    return { all, byId: new Map(all.map((u) => [u.id, u])) };
  });
  loaded.catch(() => (loaded = null));
  return loaded;
}

export function forgetUnits() {
  loaded = null;
}

export async function unitName(id) {
  if (!id) return '—';
  return (await loadUnits()).byId.get(id)?.name ?? id;
}

/**
 * Options for the unit selects in task forms, as form-js `valuesKey` data ([{label, value}]):
 * every level-2 unit, and the level-3 units a user may hand work to (their own, or all for the office).
 */
export async function unitOptions(user) {
  const { all, byId } = await loadUnits();
  const own = byId.get(user.unitId);
  const option = (u) => ({ label: u.name, value: u.id });
  return {
    level2Units: all.filter((u) => u.level === 2).map(option),
    level3Units: all.filter((u) => u.level === 3 && (own?.level !== 2 || u.parentId === own.id)).map(option),
  };
}

/** Reading and writing nested form data by a value path (['feedback', 'responsible', 'name']). */
export type Path = (string | number)[];
type Bag = Record<string | number, unknown>;

const isBag = (v: unknown): v is Bag => v !== null && typeof v === 'object';

export const getIn = (obj: unknown, path: Path): unknown => path.reduce<unknown>((o, k) => (isBag(o) ? o[k] : undefined), obj);

export function setIn(obj: Bag, path: Path, value: unknown): void {
  const parent = path.slice(0, -1).reduce<Bag>((o, k) => {
    const next = o[k];
    if (isBag(next)) return next;
    const created: Bag = {};
    o[k] = created;
    return created;
  }, obj);
  const last = path.at(-1);
  if (last !== undefined) parent[last] = value;
}

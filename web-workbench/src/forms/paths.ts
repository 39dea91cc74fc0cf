/** Reading and writing nested form data by a value path (['feedback', 'responsible', 'name']). */
export const getIn = (obj, path) => path.reduce((o, k) => (o == null ? undefined : o[k]), obj);

export function setIn(obj, path, value) {
  const parent = path.slice(0, -1).reduce((o, k) => (o[k] ??= {}), obj);
  parent[path.at(-1)] = value;
}

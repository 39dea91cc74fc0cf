/** The rows of a query's answer: TypeORM answers an UPDATE … RETURNING with [rows, count], a SELECT or INSERT with its rows. */
export const returned = (answer: unknown): unknown[] => {
  const a = answer as unknown[];
  return a.length === 2 && Array.isArray(a[0]) && typeof a[1] === 'number' ? (a[0] as unknown[]) : a;
};

/** A list of vocabulary keys as an SQL literal list ('a', 'b'), for queries and partial indexes written with it. Keys are identifiers from core/vocabulary.ts, never user input. */
export const sqlList = (values: readonly string[]): string => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

/** A list of vocabulary keys as an SQL literal list ('a', 'b'), for queries and partial indexes written with it. Keys are identifiers from core/vocabulary.ts, never user input. */
export const sqlList = (values: readonly string[]): string => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

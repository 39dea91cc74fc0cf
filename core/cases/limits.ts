/** The longest text a work order's fields take (intake and history import alike; the columns are as wide). */
export const CASE_TEXT_LIMITS = { citizenName: 50, citizenPhone: 20, address: 200, content: 5000 } as const;
/** A leader's instruction (一(四) 领导批示件): the leader's name and the instruction's text. */
export const INSTRUCTION_TEXT_LIMITS = { leaderName: 50, text: 5000 } as const;
/** A character no text column takes: NUL (PostgreSQL refuses it) or a lone UTF-16 surrogate (not Unicode). */
// eslint-disable-next-line no-control-regex -- NUL is the character looked for
export const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A character a reader sees (a letter, digit, punctuation or symbol): text with none is blank, whatever its spaces and zero-width marks. */
export const VISIBLE_CHAR = /[\p{L}\p{N}\p{P}\p{S}]/u;
const VISIBLE_CHARS = new RegExp(VISIBLE_CHAR.source, 'gu');
/** How many characters of `text` a reader sees. */
export const visibleLength = (text: string): number => text.match(VISIBLE_CHARS)?.length ?? 0;

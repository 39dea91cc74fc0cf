/** The longest text a work order's fields take (intake and history import alike; the columns are as wide). */
export const CASE_TEXT_LIMITS = { citizenName: 50, citizenPhone: 20, address: 200, content: 5000 } as const;
/** A leader's instruction (一(四) 领导批示件): the leader's name and the instruction's text. */
export const INSTRUCTION_TEXT_LIMITS = { leaderName: 50, text: 5000 } as const;

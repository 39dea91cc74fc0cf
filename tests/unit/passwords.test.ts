import { passwordProblem } from '../../core/passwords';

describe('ASVS V2.1.1 / V2.1.7 the password rule', () => {
  it('V2.1.7 refuses common passwords, also with digits or symbols around them, doubled, or of few characters', () => {
    for (const common of ['password1234', 'iloveyou2024!', '2024qwerty!!', 'passwordpassword', 'aaaaaaaaaaaaaa', 'abababababab', 'qwerty123456']) {
      expect([common, passwordProblem(common, 'someone')?.en]).toEqual([common, 'the password is too common; choose another']);
    }
  });

  it('V2.1.1 wants 12 characters (counted as characters, not bytes), at most 200, without the username', () => {
    expect(passwordProblem('Short-pw-1', 'x')?.en).toMatch(/at least 12/);
    expect(passwordProblem('平顶山市长热线十二个汉字', 'x')).toBeNull();
    expect(passwordProblem('x'.repeat(150) + 'Y1-'.repeat(20), 'someone')?.en).toMatch(/at most 200/);
    expect(passwordProblem('xinhua-is-my-unit-2026', 'xinhua')?.en).toMatch(/username/);
    expect(passwordProblem('Correct-horse-battery-staple', 'xinhua')).toBeNull();
  });
});

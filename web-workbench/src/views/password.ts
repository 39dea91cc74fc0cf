/** 修改密码: the signed-in user sets their own password with the current one (also after an admin's reset). */
import { ApiError } from '../../../web-shared/src/api';
import { h } from '../../../web-shared/src/dom';
import { changePassword } from '../../../web-shared/src/session';
import { toast } from '../dom';
import { landingFor } from '../session';
import type { ViewContext } from '../view';

const field = (id: string, text: string, input: HTMLInputElement) => h('div', { class: 'field' }, h('label', { for: id }, text), input);
const password = (id: string, autocomplete: string) => h('input', { id, type: 'password', required: true, maxlength: 200, autocomplete });

export function passwordView({ main, user }: ViewContext) {
  const current = password('pw-current', 'current-password');
  const next = password('pw-new', 'new-password');
  const again = password('pw-again', 'new-password');
  const error = h('p', { class: 'field-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, '保存新密码');
  main.append(
    h(
      'form',
      {
        class: 'panel narrow',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          error.textContent = '';
          if (next.value !== again.value) return void (error.textContent = '两次输入的新密码不一致');
          submit.disabled = true;
          try {
            await changePassword(current.value, next.value);
            toast('密码已修改，本账号的其他登录已退出');
            location.hash = landingFor(user);
          } catch (err) {
            error.textContent = err instanceof ApiError || err instanceof Error ? err.message : String(err);
          } finally {
            submit.disabled = false;
          }
        },
      },
      h('h1', {}, '修改密码'),
      user.mustChangePassword && h('div', { class: 'notice' }, '您正在使用管理员重置的临时密码，请先设置自己的密码。'),
      field('pw-current', user.mustChangePassword ? '临时密码' : '当前密码', current),
      field('pw-new', '新密码（至少 12 个字符，不能是常见密码或包含用户名）', next),
      field('pw-again', '再次输入新密码', again),
      error,
      h('div', { class: 'actions' }, submit),
    ),
  );
}

/** 登录: username and password; on success the user lands where their role works. */
import { post } from '../api.js';
import { h } from '../dom.js';
import { landingFor, signIn } from '../session.js';

export function loginView({ main }) {
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'field-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, '登录');

  async function onsubmit(event) {
    event.preventDefault();
    error.textContent = '';
    if (!username.value.trim() || !password.value) return void (error.textContent = '请输入用户名和密码');
    submit.disabled = true;
    try {
      const { token, user } = await post('/api/auth/login', { username: username.value.trim(), password: password.value });
      signIn(token, user);
      location.hash = landingFor(user);
    } catch (e) {
      error.textContent = e.message;
      password.select();
    } finally {
      submit.disabled = false;
    }
  }

  main.classList.add('login-page');
  main.append(
    h(
      'form',
      { class: 'login-card', onsubmit, novalidate: true },
      h('div', { class: 'login-brand' }, h('span', { class: 'brand-mark' }, '12345'), h('h1', {}, '平顶山市市长热线'), h('p', {}, '工单受理与办理工作台')),
      h('label', { for: 'login-username' }, '用户名'),
      username,
      h('label', { for: 'login-password' }, '密码'),
      password,
      error,
      submit,
    ),
  );
  username.focus();
}

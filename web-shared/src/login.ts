/** The one sign-in screen of both apps: username and password, the app's title, and why sign-in is needed. */
import './login.css';
import { h } from './dom';
import { signIn, type User } from './session';

export interface LoginOptions {
  title: string;
  subtitle: string;
  /** Shown at once, e.g. why the previous session ended. */
  message?: string;
  /** Why this user may not use the app, or null when they may. */
  refuse?: (user: User) => string | null;
  onSignedIn: (user: User) => void;
}

export function loginScreen(opts: LoginOptions): HTMLElement {
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'login-error', role: 'alert' }, opts.message ?? '');
  const submit = h('button', { type: 'submit', class: 'login-submit' }, '登录');

  async function onsubmit(event: Event) {
    event.preventDefault();
    error.textContent = '';
    if (!username.value.trim() || !password.value) return void (error.textContent = '请输入用户名和密码');
    submit.disabled = true;
    try {
      const user = await signIn(username.value.trim(), password.value);
      const refusal = opts.refuse?.(user) ?? null;
      if (refusal) return void (error.textContent = refusal);
      opts.onSignedIn(user);
    } catch (e) {
      error.textContent = e instanceof Error ? e.message : String(e);
      password.select();
    } finally {
      submit.disabled = false;
    }
  }

  const screen = h(
    'div',
    { class: 'login-page' },
    h(
      'form',
      { class: 'login-card', onsubmit, novalidate: true },
      h('div', { class: 'login-brand' }, h('span', { class: 'login-mark' }, '12345'), h('h1', {}, opts.title), h('p', {}, opts.subtitle)),
      h('label', { for: 'login-username' }, '用户名'),
      username,
      h('label', { for: 'login-password' }, '密码'),
      password,
      error,
      submit,
    ),
  );
  queueMicrotask(() => username.focus());
  return screen;
}

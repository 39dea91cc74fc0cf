/**
 * 用户管理 in a real Chromium (ASVS V4.1.3 / V2.5): an admin finds and creates an account and resets its password to a
 * one-time temporary one; the user signing in with it is taken to 修改密码 and sets their own. The pages run under the
 * server's Content-Security-Policy without a single violation.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { stack } from '../integration/setup/stack';

describe('用户管理 (admin) and 修改密码 in a real browser', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--lang=zh-CN'],
    });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    expect(problems).toEqual([]);
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && problems.push(m.text()));
    return page;
  }

  async function signIn(page: Page, username: string, password: string) {
    await page.goto(`${stack.api}/#/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.app-header').waitFor();
  }

  it('an admin creates an account and resets it to a temporary password; the user must set their own first', async () => {
    const admin = await newPage();
    await signIn(admin, 'admin', 'hotline-demo');
    await admin.getByRole('link', { name: '用户' }).click();
    await admin.getByRole('heading', { name: '用户管理' }).waitFor();
    await admin.getByLabel('查询用户').fill('xinhua');
    await admin.getByRole('button', { name: '查询' }).click();
    await admin.locator('tr[data-username=xinhua]').waitFor();

    // 新建用户
    const username = `e2e-user-${Date.now()}`;
    await admin.getByRole('button', { name: '新建用户' }).click();
    await admin.getByLabel('用户名', { exact: true }).fill(username);
    await admin.getByLabel('姓名', { exact: true }).fill('端到端测试员');
    await admin.getByLabel('初始密码').fill('Initial-e2e-lamp-31');
    await admin.getByLabel('单位经办人').check();
    await admin.locator('#new-unit').selectOption('xinhua');
    await admin.getByRole('button', { name: '创建' }).click();
    await admin.getByText(`已新建 ${username}`).waitFor();

    // 重置密码 → a temporary password, shown once
    await admin.getByLabel('查询用户').fill(username);
    await admin.getByRole('button', { name: '查询' }).click();
    const row = admin.locator(`tr[data-username="${username}"]`);
    await row.getByRole('button', { name: '重置密码' }).click();
    await admin.getByRole('button', { name: '确认重置' }).click();
    const temporary = (await admin.locator('.temporary-password').textContent())!.trim();
    expect(temporary.length).toBeGreaterThanOrEqual(20);
    await admin.screenshot({ path: '/tmp/users-e2e-admin.png' });

    // the user signs in with it and is taken to 修改密码
    const user = await newPage();
    await signIn(user, username, temporary);
    await user.getByRole('heading', { name: '修改密码' }).waitFor();
    await user.goto(`${stack.api}/#/cases`);
    await user.getByRole('heading', { name: '修改密码' }).waitFor();
    await user.getByLabel('临时密码').fill(temporary);
    await user.getByLabel(/^新密码/).fill('My-own-e2e-lamp-32');
    await user.getByLabel('再次输入新密码').fill('My-own-e2e-lamp-32');
    await user.getByRole('button', { name: '保存新密码' }).click();
    await user.waitForURL(/#\/tasks$/);
    await user.screenshot({ path: '/tmp/users-e2e-user.png' });

    // 停用: the admin deactivates the account
    admin.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: '停用' }).click();
    await admin.getByText(`已停用 ${username}`).waitFor();
  });
});

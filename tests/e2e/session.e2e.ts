/**
 * The shared session in a real Chromium: one sign-in for the workbench and the modeler, kept in an HttpOnly cookie
 * that scripts cannot read (nothing in localStorage or sessionStorage); and a task's Chinese name taken from the
 * diagram — a unit leader sees 单位领导签发 in the tasklist, the task form and the case page.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { complete, dispatchedCase, feedback, openTask, PDF, upload } from '../integration/helpers';
import { stack } from '../integration/setup/stack';

describe('the shared session and task names in a real browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--lang=zh-CN'],
    });
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
  });

  afterEach(async () => {
    await context.close();
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function signIn(username: string) {
    await page.goto(`${stack.api}/#/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('hotline-demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.app-header').waitFor();
  }

  /** Everything a script can read of the session: web storage and document.cookie. */
  const readable = () =>
    page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }), cookie: document.cookie }));

  it('keeps the session out of scripts’ reach: no token in web storage, the session cookie HttpOnly', async () => {
    await signIn('office');
    const seen = await readable();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'hotline_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(seen.local).toBe('{}');
    expect(seen.session).toBe('{}');
    expect(seen.cookie).not.toContain('hotline_session');
    expect(seen.cookie).not.toContain(session!.value);
    expect(seen.local + seen.session).not.toMatch(/eyJ/); // no JWT anywhere
  });

  it('an admin signed in at / opens /modeler/ without signing in again; signing out there signs out of the workbench', async () => {
    await signIn('admin');
    await page.goto(`${stack.api}/modeler/`);
    await page.locator('button.def[data-key=hotlineCase]').waitFor();
    expect(await page.locator('input[name=password]').count()).toBe(0);
    expect((await readable()).session).toBe('{}');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('input[name=password]').waitFor();
    await page.goto(`${stack.api}/#/tasks`);
    await page.getByLabel('密码').waitFor();
    expect(await page.locator('.app-header').count()).toBe(0);
  });

  it('a unit leader sees 单位领导签发 by its diagram name in the tasklist, the task form and the case page', async () => {
    // given: a category-C case of 新华区 whose written reply waits for the leader's sign-off
    const c = await dispatchedCase({ category: 'C', leadUnitId: 'xinhua' }, '小区旁边有人私搭乱建，堵塞消防通道');
    expect(
      (
        await complete('xinhua', c.id, 'plan', {
          situation: '已现场核实',
          plan: '下达限期拆除通知',
          plannedDoneAt: new Date(Date.now() + 20 * 86400_000).toISOString(),
        })
      ).status,
    ).toBe(204);
    await openTask(c.id, 'handle');
    const reply = await upload(c.id, 'xinhua', '书面回复.pdf', PDF, 'application/pdf');
    expect((await complete('xinhua', c.id, 'handle', { ...feedback, feedback: { ...feedback.feedback, attachmentIds: [reply.body.id] } })).status).toBe(204);
    await openTask(c.id, 'leaderSignoff');

    // then: the leader's tasklist, the filter, the task form and the case page name it 单位领导签发
    await signIn('xinhua-leader');
    await page.goto(`${stack.api}/#/tasks`);
    const row = page.locator('tr', { hasText: c.code }).filter({ hasText: '单位领导签发' });
    await row.waitFor();
    expect(await page.locator('#filter-taskKey option', { hasText: '单位领导签发' }).count()).toBe(1);
    expect(await page.locator('.tasks-table').textContent()).not.toContain('leaderSignoff');

    await row.getByRole('link', { name: '办理' }).click();
    await page.locator('h1', { hasText: '单位领导签发' }).waitFor();

    await page.goto(`${stack.api}/#/cases/${c.id}`);
    await page.locator('.panel', { hasText: '待办任务' }).locator('td', { hasText: '单位领导签发' }).waitFor();
    expect(await page.locator('.timeline').textContent()).toContain('「承办单位办理」');
    expect(await page.locator('main').textContent()).not.toContain('leaderSignoff');
  });
});

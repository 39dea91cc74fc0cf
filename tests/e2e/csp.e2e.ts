/**
 * ASVS V14.4.3 in a real Chromium: the workbench (the dashboard, a case with its diagram, the printable
 * bulletin) and the modeler (BPMN with the properties panel, a decision table, the form editor and its
 * preview) run under the server's Content-Security-Policy without one violation; script is never inline.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { dispatchedCase } from '../integration/helpers';
import { stack } from '../integration/setup/stack';

describe('ASVS V14.4.3 the apps run under the Content-Security-Policy', () => {
  let browser: Browser;
  let page: Page;
  const violations: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--lang=zh-CN'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && violations.push(m.text()));
    page.on('pageerror', (e) => violations.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('V14.4.3 the workbench: dashboard, case with diagram, bulletin', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    await page.goto(`${stack.api}/#/login`);
    await page.getByLabel('用户名').fill('office');
    await page.getByLabel('密码').fill('hotline-demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.app-header').waitFor();
    await page.goto(`${stack.api}/#/dashboard`);
    await page.locator('.figures').waitFor();
    await page.goto(`${stack.api}/#/cases/${c.id}`);
    await page.locator('#case-diagram .djs-container').waitFor();
    const period = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    await page.goto(`${stack.api}/bulletin.html?period=${period}`);
    await page.locator('h1', { hasText: '市长热线通报' }).waitFor();
    expect(violations).toEqual([]);
  });

  it('V14.4.3 the modeler: BPMN with properties, a decision table, the form editor and preview', async () => {
    await page.goto(`${stack.api}/#/tasks`);
    await page.getByRole('button', { name: '退出' }).click();
    await page.goto(`${stack.api}/modeler/`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'hotline-demo');
    await page.click('button[type=submit]');
    await page.click('button.def[data-key=hotlineCase]');
    await page.click('.djs-element[data-element-id=dispatch]');
    await page.waitForSelector('.bio-properties-panel-header-type:has-text("用户任务")');
    await page.click('button.def[data-key=caseClock]');
    await page.waitForSelector('.tjs-table');
    await page.click('button.def[data-form-id=form-dispatch]:has-text("分类交办")');
    await page.waitForSelector('.form-editor .fjs-form-field:has-text("处理方式")');
    await page.click('button:has-text("预览"):enabled');
    await page.waitForSelector('.form-preview .fjs-form .fjs-form-field:has-text("处理方式")');
    expect(violations).toEqual([]);
  });
});

/**
 * 历史导入 and the 派单模型 in a real Chromium: an admin uploads an old platform's closed work orders, follows the
 * import to its end, trains the dispatch model from them and sees the version in use; no page error, no CSP violation.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { stack } from '../integration/setup/stack';

describe('历史导入 and 派单模型 (admin) in a real browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--lang=zh-CN'],
    });
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && problems.push(m.text()));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    expect(problems).toEqual([]);
  });

  it('an admin imports history, follows it to the end, and trains the dispatch model from it', async () => {
    await page.goto(`${stack.api}/#/login`);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('hotline-demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.app-header').waitFor();
    await page.getByRole('link', { name: '历史导入' }).click();
    await page.getByRole('heading', { name: '历史工单导入' }).waitFor();

    const rows = ['诉求内容,承办单位,受理时间,办结时间,分类'];
    for (let i = 0; i < 20; i++) {
      rows.push(`小区垃圾好几天没人清运（端到端${i}）,city-mgmt,2024-05-0${1 + (i % 9)} 09:00,2024-05-10 17:00,B`);
      rows.push(`学校乱收资料费（端到端${i}）,education,2024-05-0${1 + (i % 9)} 10:00,2024-05-10 17:00,B`);
    }
    await page.locator('input[type=file]').setInputFiles({ name: '旧平台.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.getByRole('button', { name: '上传并导入' }).click();
    await page.getByText('已导入 40 件历史工单', { exact: false }).waitFor({ timeout: 60_000 });
    expect(await page.locator('progress.import-progress').getAttribute('value')).toBe('100');

    const panel = page.locator('section.panel', { has: page.getByRole('heading', { name: '派单模型' }) });
    await panel.getByRole('button', { name: '立即训练' }).click();
    await panel.getByText('已完成', { exact: false }).waitFor({ timeout: 240_000 });
    expect(await panel.textContent()).toMatch(/正在使用：v\d+/);
    await page.screenshot({ path: '/tmp/imports-e2e.png' });
  }, 300_000);
});

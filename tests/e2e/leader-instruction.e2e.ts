/**
 * 一(四) 领导批示件 in a real Chromium: the office registers a leader's written instruction with no caller, finds it
 * in the case list by channel, sees it on the work order and prints its 反馈单; no page error, no CSP violation.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { stack } from '../integration/setup/stack';

describe('领导批示件 (office) in a real browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (e) => problems.push(e.message));
    p.on('console', (m) => /Content Security Policy/i.test(m.text()) && problems.push(m.text()));
  };

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--lang=zh-CN'],
    });
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    watch(page);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    expect(problems).toEqual([]);
  });

  it('the office registers a leader instruction without a caller, finds it by channel, sees it on the work order and prints its 反馈单', async () => {
    await page.goto(`${stack.api}/#/login`);
    await page.getByLabel('用户名').fill('office');
    await page.getByLabel('密码').fill('hotline-demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.app-header').waitFor();
    await page.getByRole('link', { name: '受理' }).first().click();
    await page.locator('#intake-channel').waitFor();

    // the instruction's fields appear for the 领导批示 channel only
    expect(await page.locator('.instruction-fields').isHidden()).toBe(true);
    await page.locator('#intake-channel').selectOption('leader-instruction');
    await page.locator('.instruction-fields').waitFor();
    // saving without the instruction names the missing field
    await page.locator('#intake-content').fill('群众反映湛河区滨河路沿线夜间渣土车噪音扰民');
    await page.getByRole('button', { name: /保存受理/ }).click();
    expect(await page.locator('#intake-leaderName-error').textContent()).toContain('批示领导');

    await page.locator('#intake-leaderName').fill('张副市长');
    await page.locator('#intake-directive').fill('请市城管局会同湛河区十日内解决并报结果。');
    await page.locator('#intake-dueAt').fill('2099-12-31T17:00');
    await page.getByRole('button', { name: /保存受理/ }).click();
    const saved = page.locator('.saved-case');
    await saved.waitFor();
    const code = (await saved.locator('strong').textContent())!.match(/12345-\d{8}-\d{6}/)![0];

    // the case list filters by channel: the 批示件 alone
    await page.goto(`${stack.api}/#/cases?channel=leader-instruction`);
    await page.locator('tr', { hasText: code }).waitFor();
    expect(await page.locator('#cases-channel').inputValue()).toBe('leader-instruction');
    await page.locator('tr', { hasText: code }).getByRole('link', { name: code }).click();
    await page.getByRole('heading', { name: `工单 ${code}` }).waitFor();
    const panel = page.locator('section.instruction-panel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('张副市长批示：请市城管局会同湛河区十日内解决并报结果。');
    expect(await panel.textContent()).toContain('2099-12-31 17:00');

    const [sheet] = await Promise.all([context.waitForEvent('page'), panel.getByRole('link', { name: '打印反馈单' }).click()]);
    watch(sheet);
    await sheet.getByRole('heading', { name: '领导批示件办理情况反馈单' }).waitFor();
    const text = await sheet.locator('table.sheet').textContent();
    expect(text).toContain('张副市长');
    expect(text).toContain('请市城管局会同湛河区十日内解决并报结果。');
    expect(await sheet.locator('.meta').textContent()).toContain(code);
    await sheet.screenshot({ path: '/tmp/feedback-sheet-e2e.png' });
  }, 120_000);
});

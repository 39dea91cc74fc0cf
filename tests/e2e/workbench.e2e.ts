/**
 * One work order through the workbench in a real Chromium at 1366×768, as the people who handle it:
 * the operator takes the call, the office dispatches it (category B, lead unit 新华区), xinhua feeds back
 * with a photo and its leader signs it off, the office accepts and revisits, xinhua revisits too, and the work order is closed (已办结); the office then sees it on its
 * dashboard and in its reports (charts, Excel, bulletin, a 不定期点评 started), and xinhua reveals the masked phone with a reason.
 * Screenshots of each step go to /tmp/workbench-e2e-*.png.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { stack } from '../integration/setup/stack';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('the workbench in a real browser', () => {
  let browser: Browser;
  let page: Page;
  let code = '';
  const problems: string[] = [];

  const shot = (name: string) => page.screenshot({ path: `/tmp/workbench-e2e-${name}.png` });
  /** A form-js input by its label, which may carry the required marker (*). */
  const input = (label: string) => page.getByLabel(new RegExp(`^${label}\\*?$`));

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--lang=zh-CN'],
    });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function login(username: string) {
    await page.goto(`${stack.api}/#/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('hotline-demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.app-header').waitFor();
  }

  async function logout() {
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByLabel('用户名').waitFor();
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  }

  /** The task appears once the workers have moved the process on; the tasklist is reloaded until then. */
  async function openTask(taskName: string) {
    const row = page.locator('tr', { hasText: code }).filter({ hasText: taskName });
    for (let i = 0; i < 60 && (await row.count()) === 0; i++) {
      await page.goto(`${stack.api}/#/tasks`);
      await page.reload();
      await page.locator('.tasks-table, .empty').first().waitFor();
      if ((await row.count()) === 0) await page.waitForTimeout(500);
    }
    await row.getByRole('button', { name: '签收' }).click();
    await row.getByRole('button', { name: '退回签收' }).waitFor();
    await row.getByRole('link', { name: '办理' }).click();
    await page.locator('.fjs-form').waitFor();
  }

  async function submitTask() {
    await page.getByRole('button', { name: /^提交/ }).click();
    await page.waitForURL(/#\/tasks$/);
  }

  /** Chooses an option of a form-js select, searchable or not, by the field's label. */
  async function pick(label: string, option: string) {
    const field = page.locator('.fjs-form-field-select', { has: page.locator('label', { hasText: label }) });
    const search = field.locator('input:not(.fjs-select-hidden-input)');
    if (await search.count()) await search.first().fill(option);
    else await field.locator('.fjs-input-group').click();
    await field.locator('.fjs-dropdownlist-item', { hasText: option }).first().click();
  }

  it('the operator registers a call from the keyboard and sees the suggested category', async () => {
    await login('operator');
    await page.waitForURL(/#\/intake$/);
    await page.getByLabel('反映人姓名').fill('刘女士');
    await page.keyboard.press('Enter');
    await page.keyboard.type('13700001234');
    await page.keyboard.press('Enter');
    await page.locator('.caller-history h2', { hasText: '件' }).waitFor();
    await page.keyboard.type('新华区矿工路中段88号');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.getByLabel('诉求内容').fill('小区门口道路塌陷，晚上没有警示标志，存在安全隐患，希望尽快修复');
    await page.getByLabel('诉求内容').press('Enter');
    const saved = page.locator('.saved-case');
    await saved.waitFor();
    code = (await saved.locator('strong').textContent())!.match(/12345-\d{8}-\d{6}/)![0];
    expect(await saved.textContent()).toContain('系统分类建议');
    await shot('1-intake');
    await logout();
  });

  it('the office dispatches it as category B to 新华区 and sees the deadline it will get', async () => {
    await login('office');
    await openTask('分类交办');
    // the guide reasons offered are the decision table caseGuideReasons', by their labels
    await page.getByLabel('引导（不属受理范围）').check();
    const reasons = page.locator('.fjs-form-field-select', { has: page.locator('label', { hasText: '引导原因' }) });
    await reasons.locator('.fjs-input-group').click();
    await reasons.locator('.fjs-dropdownlist-item', { hasText: '信访事项' }).waitFor();
    expect(await reasons.locator('.fjs-dropdownlist-item').count()).toBeGreaterThanOrEqual(9);
    await page.keyboard.press('Escape');
    // the dispatch suggestion beside the work order: category with its reason, up to three units with theirs
    const suggestion = page.locator('.case-panel .suggestion', { has: page.locator('h2', { hasText: '派单建议' }) });
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toContain('系统分类建议');
    expect(await suggestion.locator('ol.candidates li').count()).toBeGreaterThan(0);
    await page.getByLabel('交办承办单位').check();
    await pick('事项分类', 'B 一般');
    await pick('牵头单位', '新华区人民政府');
    await page.locator('.deadline-hint', { hasText: '办理期限至' }).waitFor();
    await shot('2-dispatch');
    await submitTask();
    await logout();
  });

  it('xinhua feeds back with the responsible person and a photo', async () => {
    await login('xinhua');
    await openTask('承办单位办理');
    const today = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' }).format(new Date());
    await input('办理日期').fill(today);
    await input('办理日期').press('Tab');
    await input('办理时间').fill('09:30');
    await input('办理时间').press('Tab');
    await input('姓名').fill('王建国');
    await input('职务').fill('城建科科长');
    await input('联系电话').fill('0375-2612345');
    await input('办理过程').fill('接件后当日到现场核查，设置围挡和警示灯，组织施工队修复塌陷路面。');
    await input('办理结果').fill('路面已修复并恢复通行，已电话告知反映人。');
    await input('办理结果').press('Tab');
    await page.locator('.fjs-form-field-filepicker input[type=file]').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    await shot('3-handle');
    await submitTask();
    await logout();
  });

  it('the xinhua leader signs the feedback off (五(四): every feedback)', async () => {
    await login('xinhua-leader');
    await openTask('单位领导签发');
    await page.getByLabel('同意签发，报送热线办').check();
    await shot('3b-signoff');
    await submitTask();
    await logout();
  });

  it('the office accepts the feedback and revisits the citizen', async () => {
    await login('office');
    await openTask('审核办理结果');
    await page.getByLabel('通过，转回访').check();
    await shot('4-review');
    await submitTask();

    await openTask('回访');
    await page.getByLabel('问题已解决').check();
    await page.locator('.fjs-form-field-radio', { hasText: '办理过程满意度' }).getByLabel('满意', { exact: true }).check();
    await page.locator('.fjs-form-field-radio', { hasText: '办理结果满意度' }).getByLabel('满意', { exact: true }).check();
    await shot('5-revisit');
    await submitTask();
    await logout();
  });

  it('xinhua revisits the citizen too (五(五): both levels revisit)', async () => {
    await login('xinhua');
    await openTask('承办单位回访');
    await page.getByLabel('问题已解决').check();
    await page.locator('.fjs-form-field-radio', { hasText: '办理过程满意度' }).getByLabel('满意', { exact: true }).check();
    await page.locator('.fjs-form-field-radio', { hasText: '办理结果满意度' }).getByLabel('满意', { exact: true }).check();
    await shot('5b-unit-revisit');
    await submitTask();
    await logout();
    await login('office');
  });

  it('the work order is closed, with its timeline, attachment and diagram', async () => {
    await page.goto(`${stack.api}/#/cases?q=${code}`);
    await page.getByRole('link', { name: code }).click();
    const closed = page.locator('.toolbar .badge', { hasText: '已办结' });
    for (let i = 0; i < 40 && (await closed.count()) === 0; i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.locator('.toolbar h1').waitFor();
    }
    await closed.waitFor();
    await page.locator('#case-diagram .djs-container').waitFor();
    const timeline = await page.locator('.timeline').textContent();
    for (const step of ['受理登记', '「分类交办」交办新华区人民政府', '「承办单位办理」办结反馈', '「审核办理结果」审核通过', '回访中 → 已办结'])
      expect(timeline).toContain(step);
    expect(await page.locator('.plain-list').textContent()).toContain('现场照片.png');
    await shot('6-closed');
    // the photo previews in a dialog over the page
    await page.getByRole('button', { name: '现场照片.png' }).click();
    const preview = page.locator('dialog.attachment-preview img');
    await preview.waitFor();
    expect(await preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await shot('6b-attachment-preview');
    await page.locator('dialog.attachment-preview').getByRole('button', { name: '关闭' }).click();
    expect(problems).toEqual([]);
  });

  it('the office lands on its dashboard, where 新华区 is ranked by its on-time rate', async () => {
    await logout();
    await login('office');
    await page.waitForURL(/#\/dashboard$/);
    await page.locator('.figures').waitFor();
    expect(await page.locator('section', { hasText: '按期办结率排名' }).textContent()).toContain('新华区人民政府');
    await shot('7-dashboard');
    expect(problems).toEqual([]);
  });

  it("the office reads this month's 月通报 with its charts, exports it, and starts a 不定期点评", async () => {
    // given: this month in Beijing, whose bulletin holds the closed work order
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    await page.getByRole('link', { name: '报表' }).click();
    await page.locator('#report-period').fill(month);
    await page.getByRole('button', { name: '统计' }).click();
    // then: the score ranking and the on-time rates are drawn by ECharts, 新华区 is in the unit table
    await page.locator('#chart-ontime svg').waitFor();
    expect(await page.locator('#chart-ontime svg').textContent()).toContain('新华区人民政府');
    expect(await page.locator('tr[data-unit="xinhua"]').textContent()).toContain('新华区人民政府');
    expect(await page.locator('.typical').count()).toBe(4);
    await shot('7a-report');
    // when: exported to Excel
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(file.suggestedFilename()).toBe(`平顶山市长热线月通报-${month}.xlsx`);
    // when: the printable bulletin opens beside it
    const [bulletin] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: '打印通报' }).click()]);
    await bulletin.locator('h1', { hasText: '市长热线通报' }).waitFor();
    expect(await bulletin.locator('main').textContent()).toContain('五、典型案例');
    await bulletin.close();
    // when: a 不定期点评 over the last 30 days is started for review
    await page.getByRole('link', { name: '不定期点评' }).click();
    await page.locator('#report-from').waitFor();
    await page.locator('#chart-category svg').waitFor();
    await page.getByRole('button', { name: '发起点评（审核后发布）' }).click();
    await page.locator('.toast', { hasText: '已发起' }).waitFor();
    await shot('7b-adhoc');
    expect(problems).toEqual([]);
  });

  it("新华区 reveals the caller's number with a reason; after 退出 its token no longer works", async () => {
    await logout();
    await login('xinhua');
    await page.goto(`${stack.api}/#/cases?q=${code}`);
    await page.getByRole('link', { name: code }).click();
    await page.locator('.citizen-phone', { hasText: '137****1234' }).waitFor();
    await page.getByRole('button', { name: '显示号码' }).click();
    await page.getByLabel('查看号码的理由').fill('需回电核实路面修复情况');
    await page.getByRole('button', { name: '确认显示' }).click();
    await page.locator('.citizen-phone', { hasText: '13700001234' }).waitFor();
    await shot('8-reveal');
    const token = (await page.context().cookies()).find((c) => c.name === 'hotline_session')?.value;
    expect(token).toBeTruthy();
    await logout();
    expect((await page.context().cookies()).find((c) => c.name === 'hotline_session')).toBeUndefined();
    const me = await fetch(`${stack.api}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
    expect(problems).toEqual([]);
  });

  it('the admin finds that reveal, with its reason, in the audit log', async () => {
    await login('admin');
    await page.goto(`${stack.api}/#/audit?username=xinhua`);
    const row = page.locator('.audit-table tr', { hasText: '显示完整号码' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('理由：需回电核实路面修复情况');
    expect(await page.locator('.audit-table').textContent()).not.toContain('{');
    await shot('9-audit');
    expect(problems).toEqual([]);
  });
});

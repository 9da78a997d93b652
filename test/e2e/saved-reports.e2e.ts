// Saved reports in a real browser: the admin builds a service-desk report in the builder (grouping,
// columns, pie chart, shared with the company), saves it, sees its chart and table, goes back and
// reopens it; a viewer of the same company, on a 360-px phone, finds it marked shared and opens it.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, expectVisible, newUserPage, openFromNav, signIn, stepRunner } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const stamp = Date.now().toString(36);
const VIEWER: Account = { name: 'Vera Viewer', email: `vera-${stamp}@acme.example`, password: 'viewer-password-7' };
const NAME = `Desk by priority ${stamp}`;

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => page, 180_000);

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

/** JSON calls as the signed-in page (its cookie and CSRF token). */
async function api(p: Page, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  return p.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch('/api/v1/me')).json();
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    },
    { method, url, body },
  );
}

flowTest('the admin builds a shared report, saves it and reopens it', async () => {
  await run('open the Saved tab', async () => {
    const session = await newUserPage(browser);
    contexts.push(session.context);
    page = session.page;
    session.page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    const roles = await api(page, 'GET', '/api/v1/roles');
    const viewer = roles.body.items.find((r: { name: string }) => r.name === 'Viewer');
    const made = await api(page, 'POST', '/api/v1/users', { ...VIEWER, roleId: viewer.id });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await openFromNav(page, 'reports', '/reports');
    await page.getByRole('tab', { name: 'Saved' }).click();
    await expectVisible(page.getByTestId('saved-new'), 'the Saved tab offers a new report');
  });
  const p = () => page!;
  await run('build a service-desk report by priority as a pie, shared', async () => {
    await p().getByTestId('saved-new').click();
    const form = p().getByTestId('saved-form');
    await form.getByTestId('saved-name').fill(NAME);
    await form.getByTestId('saved-report').click();
    await p().getByRole('option', { name: 'Service desk' }).click();
    await form.getByTestId('saved-period').click();
    await p()
      .getByRole('option', { name: /this year/i })
      .click();
    await form.getByTestId('saved-group').click();
    await p().getByRole('option', { name: 'Priority' }).click();
    await form.getByLabel('Created').check();
    await form.getByLabel('Open now').check();
    await form.getByText('Pie', { exact: true }).click();
    await form.getByLabel('Shared with the company').check();
    await expectAccessible(p(), 'report builder');
    await screenshot(p(), 'saved-report-builder');
    await form.getByRole('button', { name: 'Save' }).click();
  });
  await run('the saved report opens with its chart and the chosen columns', async () => {
    await expectVisible(p().getByTestId('saved-title').getByText(NAME), 'the saved report is opened');
    await expectVisible(p().getByTestId('saved-table'), 'its table is shown');
    const heads = await p().getByTestId('saved-table').locator('thead th').allInnerTexts();
    assert.deepEqual(heads.map((h) => h.trim()).filter(Boolean), ['Created', 'Open now']);
    await expectVisible(p().locator('[data-testid="saved-chart"][data-chart="pie"]'), 'the pie chart is drawn');
    await expectVisible(p().getByTestId('saved-download'), 'the download menu is there');
    await screenshot(p(), 'saved-report-open');
  });
  await run('back to the list and open it again', async () => {
    await p().getByRole('button', { name: 'All saved reports' }).click();
    const list = p().getByTestId('saved-list');
    await expectVisible(list.getByRole('button', { name: NAME, exact: true }), 'the report is listed');
    await list.getByRole('button', { name: NAME, exact: true }).click();
    await expectVisible(p().getByTestId('saved-table'), 'its table is shown again');
  });
  assert.deepEqual(pageErrors, []);
});

flowTest('a viewer of the company sees it shared, on a phone', async () => {
  await run('open the Saved tab at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    await signIn(page, VIEWER);
    await page.goto(`${new URL(page.url()).origin}/reports?tab=saved`);
    const list = page.getByTestId('saved-list');
    await expectVisible(list.getByRole('button', { name: NAME, exact: true }), 'the shared report is listed');
    const row = list.locator('tr', { hasText: NAME });
    await expectVisible(row.getByText('Shared', { exact: true }), 'it is marked shared');
    await expectVisible(row.getByText(ADMIN.name), 'with its owner');
    assert.equal(await row.getByRole('button', { name: `Delete ${NAME}` }).count(), 0, 'a viewer cannot delete it');
    await list.getByRole('button', { name: NAME, exact: true }).click();
    await expectVisible(page.getByTestId('saved-table'), 'it runs for the viewer');
    await expectVisible(page.getByTestId('saved-chart'), 'with its chart');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page does not scroll sideways at 360 px (${overflow} px)`);
    await screenshot(page, 'saved-report-phone');
  });
});

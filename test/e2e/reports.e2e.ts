// Reports in a real browser: the admin opens the cost report of the demo company, groups it by cost
// code, opens the lines behind a row, downloads the workbook, reads the service-desk and reliability
// tabs and schedules a report; on a 360-px phone the cost report fits the screen.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, expectVisible, newUserPage, openFromNav, signIn, stepRunner, waitForPath } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const SCHEDULE = `Weekly desk ${Date.now().toString(36)}`;

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

const lastYear = () => {
  const to = new Date();
  const from = new Date(to.getTime() - 365 * 86_400_000);
  return `from=${from.toISOString().slice(0, 10)}&to=${to.toISOString().slice(0, 10)}`;
};

flowTest('the admin reads costs, drills into a row, downloads it and schedules a report', async () => {
  await run('open the cost report', async () => {
    const session = await newUserPage(browser);
    contexts.push(session.context);
    page = session.page;
    session.page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await openFromNav(page, 'reports', '/reports');
    await expectVisible(page.getByTestId('cost-table'), 'the cost table is shown');
    await expectVisible(page.getByTestId('cost-chart'), 'the cost chart is drawn');
  });
  const p = () => page!;
  await run('group by cost code over the last year', async () => {
    await p().goto(`${new URL(p().url()).origin}/reports?tab=costs&groupBy=costCode&${lastYear()}`);
    await expectVisible(p().getByTestId('cost-table').getByText('FAC-100'), 'the demo cost codes are rows');
    const totals = await p().getByTestId('cost-totals').innerText();
    assert.match(totals, /\d/, 'the totals row has figures');
    await expectAccessible(p(), 'cost report');
  });
  await run('open the lines behind a row', async () => {
    await p().getByTestId('cost-table').getByRole('button', { name: 'FAC-100' }).click();
    await expectVisible(p().getByTestId('cost-lines'), 'the lines drawer opens');
    // The lines load after the drawer opens: wait for the first before counting.
    await expectVisible(p().getByTestId('cost-lines').locator('tbody tr').first(), 'the row has lines');
    const rows = await p().getByTestId('cost-lines').locator('tbody tr').count();
    assert.ok(rows > 0, 'the row has lines');
    await screenshot(p(), 'report-cost-lines');
    await p().keyboard.press('Escape');
  });
  await run('download the report as a workbook', async () => {
    await p().getByTestId('cost-download').click();
    const [download] = await Promise.all([p().waitForEvent('download'), p().getByRole('menuitem', { name: /Excel/ }).click()]);
    assert.match(download.suggestedFilename(), /^costs-costCode-.*\.xlsx$/);
  });
  await run('read the service desk and reliability tabs', async () => {
    await p().getByRole('tab', { name: 'Service desk' }).click();
    await expectVisible(p().getByTestId('ticket-report'), 'the ticket report is shown');
    await p().getByRole('tab', { name: 'Reliability' }).click();
    await p().goto(`${new URL(p().url()).origin}/reports?tab=reliability&${lastYear()}`);
    await expectVisible(p().getByTestId('reliability-assets'), 'the demo breakdowns are listed');
  });
  await run('schedule a weekly report', async () => {
    await p().getByRole('tab', { name: 'Schedules' }).click();
    await waitForPath(p(), '/reports', /tab=schedules/);
    await expectVisible(p().getByTestId('schedule-table').getByText('Monthly costs for finance'), 'the demo schedule is listed');
    await p().getByTestId('schedule-new').click();
    const form = p().getByTestId('schedule-form');
    await form.getByLabel('Name').fill(SCHEDULE);
    await form.getByLabel('Repeats').click();
    await p().getByRole('option', { name: 'Every Monday' }).click();
    await form.getByTestId('schedule-recipients').fill('desk-lead@acme.example');
    await form.getByTestId('schedule-recipients').press('Enter');
    await form.getByRole('button', { name: 'Save' }).click();
    await expectVisible(p().getByTestId('schedule-table').getByText(SCHEDULE), 'the new schedule is listed');
    await screenshot(p(), 'report-schedules');
  });
  assert.deepEqual(pageErrors, []);
});

flowTest('on a phone the cost report fits the screen', async () => {
  await run('open the report at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    await signIn(page, ADMIN);
    await openFromNav(page, 'reports', '/reports');
    await expectVisible(page.getByTestId('cost-table'), 'the cost table is shown');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page does not scroll sideways at 360 px (${overflow} px)`);
    await screenshot(page, 'report-phone');
  });
});

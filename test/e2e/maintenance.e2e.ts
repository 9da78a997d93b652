// Recurring work in a real browser: the admin creates a recurring ticket from the "every 2nd
// Monday" preset and sees the next ten occurrences previewed by the server; then on an asset adds
// a maintenance plan, generates its work order and finds it in the plan's history. On a 360-px
// phone the recurring ticket and the plans list open without sideways scrolling.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch, screenshot } from './browser.js';
import {
  type Account,
  ensureDemoSetup,
  eventually,
  expectVisible,
  newUserPage,
  openFromNav,
  signIn,
  stepRunner,
  visitInApp,
} from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const RULE = `Check the boiler room ${Date.now().toString(36)}`;
const PLAN = `Descale the boiler ${Date.now().toString(36)}`;

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
let rulePath = '';
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

flowTest('the admin creates a recurring ticket and a maintenance plan, and generates its work order', async () => {
  await run('open recurring tickets', async () => {
    const session = await newUserPage(browser);
    contexts.push(session.context);
    page = session.page;
    session.page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await openFromNav(page, 'recurringTickets', '/recurring-tickets');
    await expectVisible(page.getByTestId('recurring-list'), 'the demo recurring tickets are listed');
  });
  const p = () => page!;
  await run('create one every 2nd Monday and see the next ten occurrences', async () => {
    await p().getByTestId('new-recurring').click();
    await p().getByTestId('recurring-title').fill(RULE);
    await p().getByTestId('recurring-preset').click();
    await p().getByRole('option', { name: 'Every 2nd Monday' }).click();
    assert.equal(await p().getByTestId('recurring-rrule').inputValue(), 'FREQ=MONTHLY;BYDAY=2MO');
    await p().getByTestId('recurring-time').fill('07:30');
    await p().getByTestId('add-task').click();
    await p().getByTestId('recurring-task-0').fill('Read the pressure gauge');
    await eventually(
      () => p().getByTestId('occurrence').count(),
      (n) => n === 10,
      'ten occurrences are previewed',
    );
    const first = await p().getByTestId('occurrence').first().innerText();
    assert.match(first, /Monday/);
    await p().getByTestId('save-recurring').click();
    await p().waitForURL(/\/recurring-tickets\/\d+$/);
    rulePath = new URL(p().url()).pathname;
    await expectVisible(p().getByRole('heading', { name: RULE }), 'the saved rule opens');
    await expectAccessible(p(), 'recurring ticket editor');
  });
  await run('a custom rule that never occurs is refused in the preview', async () => {
    await p().getByTestId('recurring-rrule').fill('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31');
    await expectVisible(p().getByTestId('preview-error'), 'the preview says the rule never occurs');
    await p().getByTestId('recurring-preset').click();
    await p().getByRole('option', { name: 'Every 2nd Monday' }).click();
  });
  await run('add a maintenance plan on an asset and generate its work order', async () => {
    const assets = await (await p().request.get(`${BASE_URL}/api/v1/assets?limit=1&q=Boiler`)).json();
    const assetId = assets.items[0].id as string;
    await visitInApp(p(), `/assets/${assetId}`);
    await p().getByTestId('tab-asset-maintenance').click();
    await p().getByTestId('add-plan').click();
    await p().getByTestId('plan-title').fill(PLAN);
    await p().getByTestId('plan-every').fill('6');
    await p().getByTestId('plan-tasks').fill('Drain\nDescale\nRefill');
    await p().getByTestId('plan-save').click();
    const card = p().locator('[data-testid^="plan-"]').filter({ hasText: PLAN }).first();
    await expectVisible(card, 'the plan is on the asset');
    await card.getByRole('button', { name: 'Generate now' }).click();
    await expectVisible(card.locator('[data-testid^="plan-open-wo-"]'), 'the open work order is linked');
    await card.getByRole('button', { name: 'Work orders' }).click();
    await expectVisible(card.locator('[data-testid^="plan-history-"]').getByRole('link', { name: /^#\d+$/ }), 'the history lists it');
    await card.locator('[data-testid^="plan-open-wo-"]').click();
    await p().waitForURL(/\/tickets\/\d+$/);
    await expectVisible(p().getByText(PLAN).first(), 'the work order opens');
    await screenshot(p(), 'maintenance-work-order');
  });
  assert.deepEqual(pageErrors, []);
});

flowTest('on a phone the recurring ticket and the due plans open without sideways scrolling', async () => {
  await run('open the recurring ticket at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    await signIn(page, ADMIN);
    await openFromNav(page, 'recurringTickets', '/recurring-tickets');
    await page.getByRole('link', { name: RULE }).click();
    await page.waitForURL((u) => u.pathname === rulePath);
    await eventually(
      () => page!.getByTestId('occurrence').count(),
      (n) => n === 10,
      'the preview shows on the phone',
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the editor does not scroll sideways at 360 px (${overflow} px)`);
  });
  await run('the plans due this week', async () => {
    await openFromNav(page!, 'maintenancePlans', '/maintenance-plans');
    await expectVisible(page!.getByTestId('plans-list').getByText('Replace AHU A1 filters'), 'the demo plan due this week is listed');
    const overflow = await page!.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the plans page does not scroll sideways at 360 px (${overflow} px)`);
    await screenshot(page!, 'maintenance-plans-phone');
  });
});

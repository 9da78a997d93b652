// e2e-superadmin: olga@operator.example operator-pass-1234
// The operator's costs by client company in a real browser: opened from the navigation, a period
// and the purchases mode, the instance's company listed with its amounts in its currency (zeros on a
// fresh instance); at 360 px the page itself does not scroll sideways (the table scrolls in its box).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch, screenshot } from './browser.js';
import { expectVisible, newUserPage, openFromNav, setupViaApi, stepRunner, waitForPath } from './support.js';

const OPERATOR = { email: 'olga@operator.example', password: 'operator-pass-1234' };

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => page, 120_000);

before(async () => {
  browser = await launch();
  await setupViaApi({ name: 'Acme Facilities', slug: 'acme' }, { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' });
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

async function signInOperator(p: Page): Promise<void> {
  await p.goto('/login');
  const form = p.getByTestId('login-form');
  await form.getByLabel('E-mail or username').fill(OPERATOR.email);
  await form.getByLabel('Password').fill(OPERATOR.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await waitForPath(p, '/');
}

for (const viewport of [
  { label: 'desktop', width: 1366, height: 900 },
  { label: 'phone', width: 360, height: 740 },
]) {
  flowTest(`${viewport.label}: the operator sees each company's costs over a period`, async () => {
    await run('sign in as the operator', async () => {
      const session = await newUserPage(browser, { width: viewport.width, height: viewport.height });
      contexts.push(session.context);
      page = session.page;
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await signInOperator(page);
    });
    const p = page as Page;
    await run('open the page from the navigation', async () => {
      await openFromNav(p, 'companyCosts', '/companies/costs');
      await expectVisible(p.getByRole('heading', { name: 'Costs by company', exact: true }), 'the page is shown');
    });
    await run('choose a period and the purchases mode', async () => {
      await p.getByTestId('company-costs-from').fill('2025-01-01');
      await p.getByTestId('company-costs-to').fill('2026-06-30');
      await p.getByTestId('company-costs-purchases').click();
      await p.getByRole('option', { name: 'Ordered quantity' }).click();
      await waitForPath(p, '/companies/costs');
      assert.match(p.url(), /purchases=ordered/, 'the mode is in the address');
      assert.match(p.url(), /from=2025-01-01/, 'the period is in the address');
      assert.match(p.url(), /to=2026-06-30/, 'the period is in the address');
    });
    await run('the company with its amounts in its currency', async () => {
      const row = p.getByTestId('company-costs-row-acme');
      await expectVisible(row, 'the company is listed');
      assert.match(await row.innerText(), /Acme Facilities/);
      assert.match(await row.innerText(), /\$0\.00/, 'zero costs, in US dollars');
    });
    await run('no sideways scrolling of the page', async () => {
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
      await screenshot(p, `company-costs-${viewport.label}`);
      if (viewport.label === 'desktop') await expectAccessible(p, 'company-costs');
    });
  });
}

flowTest('no uncaught errors', async () => {
  assert.deepEqual(pageErrors, []);
});

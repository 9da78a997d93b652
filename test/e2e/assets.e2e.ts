// Assets in a real browser: the admin registers a laptop whose category asks for custom fields (a
// required one is added to the category first, through the API), sees them on the asset page,
// checks it out to a colleague with an expected return date and finds both in the history. Then,
// on a 360-px phone, the asset list shows cards. axe runs on the form, the asset page and the list.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, expectVisible, newUserPage, openFromNav, signIn, stepRunner } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const NAME = `Laptop for the intern ${Date.now().toString(36)}`;

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
let assetPath = '';
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => page);

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
  // Make one of the Laptop category's fields required (the demo data defines RAM and OS).
  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: ADMIN.email, password: ADMIN.password }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const list = (await (await fetch(`${BASE_URL}/api/v1/picklists/categories`, { headers: { cookie } })).json()) as {
    items: {
      id: string;
      name: string;
      customFields: { key: string; label: string; type: string; options?: string[]; required?: boolean }[];
    }[];
  };
  const laptop = list.items.find((c) => c.name === 'Laptop');
  assert.ok(laptop, 'the demo data has a Laptop category');
  const fields = laptop.customFields.map((f) => (f.key === 'ram_gb' ? { ...f, required: true } : f));
  const res = await fetch(`${BASE_URL}/api/v1/picklists/categories/${laptop.id}`, {
    method: 'PATCH',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ customFields: fields }),
  });
  assert.equal(res.status, 200, `RAM becomes required: ${await res.text()}`);
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

flowTest('the admin registers a laptop with its custom fields', async () => {
  await run('open the asset form', async () => {
    const session = await newUserPage(browser);
    contexts.push(session.context);
    page = session.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await openFromNav(page, 'assets', '/assets');
    await expectVisible(page.getByTestId('assets-table'), 'the asset list is shown');
    await page.getByTestId('new-asset').click();
    await expectVisible(page.getByTestId('asset-form'), 'the asset form is shown');
  });
  const p = page as Page;
  await run('fill in the form; the category brings its fields', async () => {
    await p.getByTestId('asset-name').fill(NAME);
    await p.getByTestId('asset-category').click();
    await p.getByRole('option', { name: 'Laptop', exact: true }).click();
    await expectVisible(p.getByTestId('custom-fields'), 'the Laptop fields appear');
    await expectAccessible(p, 'asset-form');
    await p.getByTestId('save-asset').click();
    await expectVisible(p.getByTestId('custom-fields').getByText('Required', { exact: true }), 'the required custom field is enforced');
    await p.getByTestId('custom-ram_gb').fill('16');
    await p.getByTestId('custom-os').click();
    await p.getByRole('option', { name: 'Linux' }).click();
    await p.getByTestId('save-asset').click();
    await p.waitForURL((u) => /^\/assets\/\d+$/.test(u.pathname));
    assetPath = new URL(p.url()).pathname;
    await expectVisible(p.getByTestId('asset-title').getByText(NAME), 'the new asset page is shown');
    assert.equal((await p.getByTestId('custom-value-ram_gb').textContent())?.trim(), '16');
    assert.equal((await p.getByTestId('custom-value-os').textContent())?.trim(), 'Linux');
    await expectVisible(p.getByTestId('qr-image'), 'the QR code is shown');
  });
});

flowTest('the admin checks it out and sees the history', async () => {
  const p = page as Page;
  await run('check out with an expected return', async () => {
    await p.getByTestId('checkout').click();
    const form = p.getByTestId('checkout-form');
    await expectVisible(form, 'the check-out dialog opens');
    await form.getByTestId('checkout-user').click();
    await form.getByTestId('checkout-user').fill('Lena');
    await p.getByRole('option', { name: 'Lena Fischer' }).click();
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    await form.getByTestId('expected-return').fill(due);
    await form.getByTestId('confirm-checkout').click();
    await expectVisible(p.getByTestId('assigned-to').getByText('Lena Fischer'), 'the asset shows who has it');
    await expectVisible(p.getByTestId('asset-status').and(p.locator('[data-status="in_use"]')), 'the asset is in use');
    // The dialog fades out; axe must not judge its half-transparent text.
    await p.getByRole('dialog').waitFor({ state: 'hidden' });
    await expectAccessible(p, 'asset-page');
  });
  await run('history lists the creation and the check-out', async () => {
    await p.getByTestId('tab-asset-history').click();
    await expectVisible(p.getByTestId('asset-history'), 'the history is shown');
    const events = await p.getByTestId('asset-history-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-event')));
    assert.ok(events.includes('created'), `created is in the history (${events.join(', ')})`);
    assert.ok(
      events.some((e) => e?.startsWith('check')),
      `the check-out is in the history (${events.join(', ')})`,
    );
    await screenshot(p, 'asset-page-1280');
  });
});

flowTest('on a phone the list shows cards and filters by status', async () => {
  await run('asset cards at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await page.goto('/assets?status=in_use');
    await expectVisible(page.getByTestId('asset-cards'), 'cards on a phone');
    await expectVisible(page.getByTestId('asset-card').filter({ hasText: NAME }), 'the checked-out laptop is in the in-use list');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling (${width})`);
    await expectAccessible(page, 'asset-list-360');
    assert.ok(assetPath);
  });
  assert.deepEqual(pageErrors, [], 'no uncaught errors on the pages');
});

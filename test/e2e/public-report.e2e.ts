// The public QR report page in a real browser, on a 360-px phone without an account: open the link
// of a demo asset, see its name, describe the problem with a photo, send it and see the ticket
// number. Then, as the admin (through the API), the ticket exists with source "qr" and the photo.
// axe runs on the page before and after sending. A revoked link says so instead of a form.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, expectVisible, isOnScreen, newUserPage, stepRunner } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const DESCRIPTION = `The screen flickers and goes dark ${Date.now().toString(36)}`;

let browser: Browser;
let context: BrowserContext | undefined;
let page: Page | undefined;
let cookie = '';
let csrf = '';
let asset: { id: string; name: string; publicUrl: string };
let ticketNumber = 0;
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => page);

/** The admin's API calls (session cookie and CSRF token from the login answer). */
async function adminApi<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; data: T }> {
  const res = await fetch(`${BASE_URL}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      cookie,
      accept: 'application/json',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.method && init.method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, data: (text ? JSON.parse(text) : null) as T };
}

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: ADMIN.email, password: ADMIN.password }),
  });
  assert.equal(login.status, 200, 'the admin signs in through the API');
  cookie = (login.headers.getSetCookie?.() ?? [login.headers.get('set-cookie') ?? '']).map((c) => c.split(';')[0]).join('; ');
  csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  const list = await adminApi<{ items: { id: string; name: string; publicUrl: string; status: string }[] }>('/api/v1/assets?limit=50');
  assert.equal(list.status, 200, 'the admin lists the assets');
  const found = list.data.items.find((a) => a.status !== 'disposed' && a.status !== 'retired') ?? list.data.items[0];
  assert.ok(found, 'the demo data has an asset');
  asset = found;
});

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
});

flowTest('a passer-by opens the QR link on a phone, without an account', async () => {
  await run('open the public report page', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    context = session.context;
    page = session.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const path = new URL(asset.publicUrl).pathname;
    assert.match(path, /^\/r\/[^/]+$/, 'the public link is /r/<token>');
    await page.goto(path);
    await expectVisible(page.getByTestId('public-asset-name'), 'the page shows the asset');
    assert.equal((await page.getByTestId('public-asset-name').textContent())?.trim(), asset.name);
    assert.equal(new URL(page.url()).pathname, path, 'no redirect to /login or /setup');
    assert.equal(await page.getByTestId('user-menu').count(), 0, 'no app shell');
    // The honeypot is in the form but neither visible nor announced.
    const trap = page.getByTestId('report-website');
    assert.equal(await trap.count(), 1, 'the honeypot field is present');
    assert.equal(await isOnScreen(trap), false, 'the honeypot is off screen');
    assert.equal(
      await trap.evaluate((el) => !!el.closest('[aria-hidden="true"]') && (el as HTMLInputElement).tabIndex < 0),
      true,
      'the honeypot is hidden from assistive technology and the Tab order',
    );
    await expectAccessible(page, 'public-report-form-360');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
  });
});

flowTest('the form refuses an empty report, then sends one with a photo', async () => {
  const p = page as Page;
  await run('empty form shows errors', async () => {
    await p.getByTestId('report-submit').click();
    await expectVisible(p.getByText('Describe the problem.'), 'a missing description is named');
    await expectVisible(p.getByText('Enter your name.'), 'a missing name is named');
  });
  await run('fill in and add a photo', async () => {
    await p.getByLabel('What is the problem?').fill(DESCRIPTION);
    await p.getByLabel('Your name').fill('Paula Passer-by');
    await p.getByLabel('E-mail (optional)').fill('paula@example.com');
    await p.getByTestId('report-photos').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: PNG });
    await expectVisible(p.getByTestId('report-photo'), 'the chosen photo is listed');
    await screenshot(p, 'public-report-filled-360');
  });
  await run('send and see the ticket number', async () => {
    await p.getByTestId('report-submit').click();
    await expectVisible(p.getByTestId('report-success'), 'the success screen is shown');
    const text = (await p.getByTestId('report-ticket-number').textContent()) ?? '';
    ticketNumber = Number(text.replace(/\D/g, ''));
    assert.ok(ticketNumber > 0, `a ticket number is shown (${text})`);
    await expectAccessible(p, 'public-report-success-360');
    await screenshot(p, 'public-report-success-360');
  });
});

flowTest('the admin finds the ticket from the QR code, with the photo', async () => {
  await run('ticket has source qr and the photo', async () => {
    const ticket = await adminApi<{ ticket: { number: number; source: string; description: string; title: string } }>(
      `/api/v1/tickets/${ticketNumber}`,
    );
    assert.equal(ticket.status, 200, 'the admin opens the reported ticket');
    assert.equal(ticket.data.ticket.source, 'qr');
    assert.ok(
      ticket.data.ticket.description.includes(DESCRIPTION) || ticket.data.ticket.title.includes(DESCRIPTION.slice(0, 20)),
      'the description was kept',
    );
    const files = await adminApi<{ items: { name: string; contentType?: string }[] }>(`/api/v1/tickets/${ticketNumber}/attachments`);
    assert.equal(files.status, 200);
    assert.equal(files.data.items.length, 1, 'the photo is attached');
    assert.match(files.data.items[0].name, /screen\.png$/);
  });
});

flowTest('a revoked link says it is not valid', async () => {
  const p = page as Page;
  await run('regenerate the link, open the old one', async () => {
    const res = await adminApi(`/api/v1/assets/${asset.id}/public-token`, { method: 'POST' });
    assert.equal(res.status, 200, 'the admin regenerates the link');
    await p.goto(new URL(asset.publicUrl).pathname);
    await expectVisible(p.getByText('This link is not valid'), 'the old link is refused');
    assert.equal(await p.getByTestId('public-report-form').count(), 0, 'no form for a revoked link');
    await expectAccessible(p, 'public-report-invalid-360');
  });
  assert.deepEqual(pageErrors, [], 'no uncaught errors on the page');
});

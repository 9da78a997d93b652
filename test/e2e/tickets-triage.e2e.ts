// Issue 10 items 1, 3 and 4 in a real browser, on the demo data: the manager opens a ticket for a
// requester with an asset, a due date already past and a photo (1366 px); the ticket page lists the
// asset with its location, flags it overdue, unlinks and links it again; the list filters overdue;
// on a 360-px phone "Start work" makes the manager its assignee. A requester's ticket waiting for
// approval says who decides now and what is ahead; the admin (tickets.approve_any) rejects it and the
// page says why and who. A report from the public QR page opens an incident linked to its asset.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, expectHidden, expectVisible, newUserPage, stepRunner, waitForPath } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const demo = (name: string, username: string): Account => ({ name, email: username, password: ADMIN.password });
const requester = demo('Lukas Novak', 'lukas.novak');
const head = demo('Tom Becker', 'tom.becker');
const manager = demo('Maria Lopez', 'maria.lopez');

const RUN = Date.now().toString(36);
const TITLE = `Forklift leaks oil ${RUN}`;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface DemoAsset {
  id: string;
  tag: string;
  name: string;
  publicUrl: string;
  status: string;
  locationId: string | null;
}

let browser: Browser;
let current: Page | undefined;
let ticketNumber = 0;
let asset: DemoAsset;
let cookie = '';
let csrf = '';
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => current);

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

/** An API call from inside a signed-in page (its cookie, and the CSRF token GET /me gives). */
async function pageApi<T>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await (await fetch('/api/v1/me')).json();
      const res = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, data: await res.json() };
    },
    { method, path, body },
  );
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
  const list = await adminApi<{ items: DemoAsset[] }>('/api/v1/assets?limit=50');
  assert.equal(list.status, 200, 'the admin lists the assets');
  const found = list.data.items.find((a) => a.locationId && a.status !== 'disposed' && a.status !== 'retired') ?? list.data.items[0];
  assert.ok(found, 'the demo data has an asset');
  asset = found;
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

async function open(account: Account, size?: { width: number; height: number }): Promise<Page> {
  const session = await newUserPage(browser, size);
  contexts.push(session.context);
  session.page.on('pageerror', (e) => pageErrors.push(`${account.email}: ${e.message}`));
  current = session.page;
  const page = session.page;
  await page.goto('/login');
  const form = page.getByTestId('login-form');
  await expectVisible(form, 'the login form is shown');
  await form.getByLabel('E-mail or username').fill(account.email);
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await waitForPath(page, '/');
  return page;
}

async function fitsWidth(page: Page, width: number) {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `the page fits ${width} px (scroll width ${scroll})`);
}

flowTest('the manager opens a ticket for a requester, with an asset, a past due date and a photo (1366 px)', async () => {
  const page = await open(manager, { width: 1366, height: 900 });
  await run('fill the new-ticket form', async () => {
    await page.goto('/tickets/new');
    const form = page.getByTestId('ticket-form');
    await expectVisible(form, 'the new-ticket form is shown');
    await form.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await form.getByRole('textbox', { name: 'Description' }).fill('A puddle under the mast.');
    const assets = form.getByLabel('Assets', { exact: true }).first();
    await assets.click();
    await assets.fill(asset.tag);
    await page
      .getByRole('option', { name: new RegExp(asset.tag) })
      .first()
      .click();
    await page.keyboard.press('Escape');
    const who = form.getByLabel('Requester', { exact: true }).first();
    await who.click();
    await who.fill('Lukas');
    await page.getByRole('option', { name: requester.name }).click();
    const yesterday = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel('Due date').fill(yesterday);
    await form.locator('input[type="file"]').setInputFiles({ name: 'puddle.png', mimeType: 'image/png', buffer: PNG });
    await expectAccessible(page, 'new-ticket-form-pickers');
    await form.getByTestId('ticket-submit').click();
    await page.waitForURL(/\/tickets\/\d+$/);
    ticketNumber = Number(new URL(page.url()).pathname.split('/').pop());
    assert.ok(ticketNumber > 0, 'the ticket has a number');
  });
  await run('the ticket shows its asset, requester, overdue flag and photo', async () => {
    const panel = page.getByTestId('ticket-assets');
    await expectVisible(panel.getByTestId('ticket-asset').filter({ hasText: asset.name }), 'the linked asset is listed');
    const location = (await panel.getByTestId('ticket-asset-location').first().textContent())?.trim() ?? '';
    assert.ok(location.length > 0 && location !== 'No location', `the asset's location is shown (${location})`);
    assert.equal(
      await panel.getByRole('link', { name: new RegExp(asset.name) }).getAttribute('href'),
      `/assets/${asset.id}`,
      'the asset links to its page',
    );
    await expectVisible(page.getByTestId('ticket-facts').getByText(requester.name), 'the requester is the person it was opened for');
    await expectVisible(page.getByTestId('ticket-overdue'), 'the ticket is flagged overdue');
    await page.getByTestId('tab-attachments').click();
    await expectVisible(page.getByTestId('attachment').filter({ hasText: 'puddle.png' }), 'the photo was uploaded with the form');
    await expectAccessible(page, 'ticket-page-assets');
  });
  await run('unlink and link the asset again', async () => {
    const panel = page.getByTestId('ticket-assets');
    await panel.getByTestId('unlink-asset').first().click();
    await expectVisible(panel.getByText('No asset is linked to this ticket.'), 'the asset is unlinked');
    const picker = panel.getByTestId('link-asset');
    await picker.click();
    await picker.fill(asset.tag);
    await page
      .getByRole('option', { name: new RegExp(asset.tag) })
      .first()
      .click();
    await expectVisible(panel.getByTestId('ticket-asset').filter({ hasText: asset.name }), 'the asset is linked again');
  });
  await run('the list flags it and filters overdue', async () => {
    await page.goto('/tickets?overdue=true');
    const row = page.getByTestId('ticket-row').filter({ hasText: TITLE });
    await expectVisible(row, 'the overdue filter keeps the ticket');
    await expectVisible(row.getByTestId('ticket-overdue'), 'the row is flagged overdue');
    assert.equal(await page.getByTestId('filter-overdue').isChecked(), true, 'the filter shows as on');
  });
});

flowTest('on a 360-px phone, "Start work" on the unassigned ticket makes the manager its assignee', async () => {
  const page = await open(manager, { width: 360, height: 740 });
  await run('start work', async () => {
    await page.goto(`/tickets/${ticketNumber}`);
    await expectVisible(page.getByTestId('ticket-title'), 'the ticket is shown');
    await expectVisible(page.getByTestId('ticket-facts').getByText('Unassigned'), 'nobody works on it yet');
    await page.getByTestId('status-in_progress').click();
    await expectVisible(page.getByTestId('ticket-status').filter({ hasText: 'In progress' }), 'work started');
    await expectVisible(page.getByTestId('ticket-facts').getByText(manager.name), 'the one who started it is the assignee');
    await expectVisible(page.getByTestId('ticket-assets').getByTestId('ticket-asset'), 'the asset shows on the phone');
    await fitsWidth(page, 360);
    await screenshot(page, 'ticket-triage-phone');
  });
  await run('the assignee picker offers people who may work tickets', async () => {
    await page.getByTestId('assign').click();
    const form = page.getByTestId('assign-form');
    const picker = form.getByLabel('Assignee', { exact: true }).first();
    await picker.click();
    await picker.fill('Lena');
    await expectVisible(page.getByRole('option', { name: 'Lena Fischer' }), 'a technician is offered');
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/tickets/assignees') && r.url().includes('q=Lukas'));
    await picker.fill('Lukas');
    await searched;
    await expectHidden(page.getByRole('option', { name: 'Lena Fischer' }), 'the search result is shown');
    assert.equal(await page.getByRole('option', { name: requester.name }).count(), 0, 'a requester is not offered as assignee');
    await page.keyboard.press('Escape');
  });
});

flowTest('a pending ticket says who decides now and what is ahead; the admin rejects it and the page says why', async () => {
  const category = await adminApi<{ category: { id: string }; id: string }>('/api/v1/categories', {
    method: 'POST',
    body: { name: `Forklift parts ${RUN}`, approvalSteps: [{ type: 'department_head' }, { type: 'role', roleId: await managerRoleId() }] },
  });
  assert.equal(category.status, 201, 'the admin creates a category with an approval chain');
  const page = await open(requester, { width: 1366, height: 900 });
  let number = 0;
  await run('the requester opens a ticket that needs approval', async () => {
    const made = await pageApi<{ ticket: { number: number; status: string } }>(page, 'POST', '/api/v1/tickets', {
      kind: 'request',
      title: `New fork tines ${RUN}`,
      categoryId: category.data.category?.id ?? category.data.id,
    });
    assert.equal(made.status, 201);
    assert.equal(made.data.ticket.status, 'pending_approval');
    number = made.data.ticket.number;
    await page.goto(`/tickets/${number}`);
    const panel = page.getByTestId('approval-pending');
    await expectVisible(
      panel.getByTestId('approval-current').filter({ hasText: `Department head ${head.name}` }),
      'the waiting step names the department head',
    );
    await expectVisible(
      panel.getByTestId('approval-ahead').filter({ hasText: 'Anyone with the role Manager' }),
      'the step ahead is listed',
    );
    assert.equal(await page.getByTestId('approve').count(), 0, 'the requester cannot approve');
    await expectAccessible(page, 'ticket-page-approval');
  });
  const admin = await open(ADMIN, { width: 1366, height: 900 });
  await run('the admin (approve_any) sees approve and reject, and rejects with a reason', async () => {
    await admin.goto(`/tickets/${number}`);
    await expectVisible(admin.getByTestId('approve'), 'approve is offered to an approve_any holder');
    await admin.getByTestId('reject').click();
    await admin.getByTestId('reject-form').getByRole('textbox').fill('We have spare tines in the store.');
    await admin.getByTestId('reject-form').getByRole('button', { name: 'Reject' }).click();
    const rejected = admin.getByTestId('approval-rejected');
    await expectVisible(rejected.filter({ hasText: `Rejected by ${ADMIN.name}` }), 'the page says who rejected');
    await expectVisible(rejected.getByText('Reason: We have spare tines in the store.'), 'the page gives the reason');
  });
  await run('the requester sees the reason on the page', async () => {
    current = page;
    await page.reload();
    await expectVisible(
      page.getByTestId('rejection-reason').filter({ hasText: 'We have spare tines in the store.' }),
      'the requester sees the reason',
    );
    await expectAccessible(page, 'ticket-page-rejected');
  });
});

flowTest('a report from the public QR page opens an incident linked to its asset, and says so', async () => {
  const token = new URL(asset.publicUrl).pathname.split('/').pop() ?? '';
  const form = new FormData();
  form.append('description', `Oil on the floor next to it ${RUN}`);
  form.append('name', 'Pat Passer-by');
  form.append('email', 'pat@example.com');
  const res = await fetch(`${BASE_URL}/api/v1/public/assets/${token}/reports`, { method: 'POST', body: form });
  assert.equal(res.status, 201, `the public report is accepted: ${res.status}`);
  const { ticketNumber: reported } = (await res.json()) as { ticketNumber: number };
  const page = await open(manager, { width: 360, height: 740 });
  await run('the ticket says it came from the QR page', async () => {
    await page.goto(`/tickets/${reported}`);
    await expectVisible(page.getByTestId('ticket-origin-qr').filter({ hasText: 'Pat Passer-by' }), 'the QR origin and reporter are shown');
    await expectVisible(page.getByText('Incident', { exact: false }).first(), 'it is an incident');
    await expectVisible(
      page.getByTestId('ticket-assets').getByTestId('ticket-asset').filter({ hasText: asset.name }),
      'it is linked to its asset',
    );
    await fitsWidth(page, 360);
    await expectAccessible(page, 'ticket-page-qr-360');
  });
  assert.deepEqual(pageErrors, [], 'no uncaught errors in any page');
});

async function managerRoleId(): Promise<string> {
  const roles = await adminApi<{ items: { id: string; name: string }[] }>('/api/v1/roles');
  const role = roles.data.items.find((r) => r.name === 'Manager');
  assert.ok(role, 'the Manager role exists');
  return role.id;
}

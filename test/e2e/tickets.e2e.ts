// The seed-004 flow in a real browser, three people in three contexts: the admin creates a category
// "New laptop" with an approval chain [department head, role Manager]; a requester opens a ticket
// in it; the department head approves; the manager approves and assigns a technician; the
// technician (on a 360-px phone) starts work, comments, attaches a photo and resolves; the
// requester sees it resolved, with the history. axe runs on the list, ticket, form and dashboard.
// Runs after platform.e2e.ts (which sets up the instance with demo data); alone, it sets up itself.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch, screenshot } from './browser.js';
import { type Account, expectVisible, newUserPage, stepRunner, waitForPath } from './support.js';

// The same instance as platform.e2e.ts: its admin, whose password the demo users share.
const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const demo = (name: string, username: string): Account => ({ name, email: username, password: ADMIN.password });
const requester = demo('Lukas Novak', 'lukas.novak');
const head = demo('Tom Becker', 'tom.becker');
const manager = demo('Maria Lopez', 'maria.lopez');
const technician = demo('Lena Fischer', 'lena.fischer');

const CATEGORY = `New laptop ${Date.now().toString(36)}`;
const TITLE = `Laptop for the new colleague ${Date.now().toString(36)}`;
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let browser: Browser;
let current: Page | undefined;
let ticketNumber = 0;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => current);

before(async () => {
  browser = await launch();
  // Alone (without platform.e2e.ts first), set the instance up with demo data.
  const setup = (await (await fetch(`${BASE_URL}/api/v1/setup`)).json()) as { needed: boolean };
  if (setup.needed) {
    const res = await fetch(`${BASE_URL}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        company: COMPANY,
        admin: { name: ADMIN.name, email: ADMIN.email, password: ADMIN.password },
        demoData: true,
      }),
    });
    assert.equal(res.status, 201, 'setup with demo data');
  }
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
  await expectVisible(page.getByRole('heading', { name: `Welcome, ${account.name}` }), `${account.name} reaches the dashboard`);
  return page;
}

async function openTicket(page: Page): Promise<void> {
  await page.goto(`/tickets/${ticketNumber}`);
  await expectVisible(page.getByTestId('ticket-title'), `ticket #${ticketNumber} is shown`);
}

async function expectStatus(page: Page, label: string): Promise<void> {
  await expectVisible(page.getByTestId('ticket-status').filter({ hasText: label }), `the ticket shows status "${label}"`);
}

flowTest('the admin creates the category "New laptop" with [department head, role Manager]', async () => {
  const page = await open(ADMIN);
  await run('create the category', async () => {
    await page.getByTestId('nav-categories').click();
    await waitForPath(page, '/categories');
    await page.getByTestId('new-category').click();
    const form = page.getByTestId('category-form');
    await form.getByRole('textbox', { name: 'Name' }).fill(CATEGORY);
    await form.getByTestId('add-step').click();
    await form.getByTestId('add-step').click();
    // Step 1 stays "department head"; step 2 becomes role Manager.
    await form.getByLabel('Step 2: approver', { exact: true }).first().click();
    await page.getByRole('option', { name: 'A role' }).click();
    await form.getByLabel('Step 2: role', { exact: true }).first().click();
    await page.getByRole('option', { name: 'Manager', exact: true }).click();
    await form.getByRole('button', { name: 'Create category' }).click();
    await expectVisible(
      page.getByTestId('category-row').filter({ hasText: CATEGORY }).filter({ hasText: 'the department head → role Manager' }),
      'the new category lists its approval chain',
    );
  });
});

flowTest('the requester opens a ticket in that category; it waits for approval', async () => {
  const page = await open(requester);
  await run('new ticket form', async () => {
    await page.getByTestId('nav-newTicket').click();
    await waitForPath(page, '/tickets/new');
    const form = page.getByTestId('ticket-form');
    await form.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await form.getByRole('textbox', { name: 'Description' }).fill('A laptop for Jana, who starts on Monday.\nWith a docking station.');
    await form.getByLabel('Category', { exact: true }).first().click();
    await page.getByRole('option', { name: CATEGORY }).click();
    await expectVisible(
      page.getByTestId('category-approval').filter({ hasText: 'Needs approval by the department head → ' }),
      'the form says who approves',
    );
    assert.equal(await page.getByRole('textbox', { name: 'Assignee' }).count(), 0, 'a requester cannot pick an assignee');
    await expectAccessible(page, 'new-ticket-form');
    await form.getByTestId('ticket-submit').click();
    await page.waitForURL(/\/tickets\/\d+$/);
    ticketNumber = Number(new URL(page.url()).pathname.split('/').pop());
    assert.ok(ticketNumber > 0, 'the ticket has a number');
    await expectStatus(page, 'Pending approval');
    await expectAccessible(page, 'ticket-page');
  });
  await run('the list shows it', async () => {
    await page.getByTestId('nav-tickets').click();
    await waitForPath(page, '/tickets');
    await expectVisible(page.getByTestId('ticket-row').filter({ hasText: TITLE }), 'the new ticket is in the list');
    await expectAccessible(page, 'ticket-list');
  });
});

flowTest('the department head sees it among approvals and approves', async () => {
  const page = await open(head);
  await run('approve step 1', async () => {
    const section = page.getByTestId('dash-approvals');
    await expectVisible(section.getByRole('link', { name: new RegExp(TITLE) }), 'the dashboard lists the ticket under approvals');
    await expectAccessible(page, 'dashboard-head');
    await section.getByRole('link', { name: new RegExp(TITLE) }).click();
    await waitForPath(page, `/tickets/${ticketNumber}`);
    await page.getByTestId('approve').click();
    await page.getByTestId('approve-form').getByRole('button', { name: 'Approve' }).click();
    await expectVisible(page.getByText('Approved', { exact: true }), 'approval is confirmed');
    await expectHiddenButton(page, 'approve');
  });
});

flowTest('the manager approves step 2 and assigns the technician', async () => {
  const page = await open(manager);
  await run('approve step 2', async () => {
    await openTicket(page);
    await page.getByTestId('approve').click();
    await page.getByTestId('approve-form').getByRole('textbox').fill('Budget is fine.');
    await page.getByTestId('approve-form').getByRole('button', { name: 'Approve' }).click();
    await expectStatus(page, 'Open');
  });
  await run('assign Lena', async () => {
    await page.getByTestId('assign').click();
    const form = page.getByTestId('assign-form');
    const picker = form.getByLabel('Assignee', { exact: true }).first();
    await picker.click();
    await picker.fill('Lena');
    await page.getByRole('option', { name: technician.name }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    await expectVisible(page.getByTestId('ticket-facts').getByText(technician.name), 'the ticket shows the technician');
  });
});

flowTest('the technician, on a phone, starts work, comments, adds a photo and resolves', async () => {
  const page = await open(technician, { width: 360, height: 740 });
  await run('start work', async () => {
    await openTicket(page);
    await page.getByTestId('status-in_progress').click();
    await expectStatus(page, 'In progress');
  });
  await run('comment', async () => {
    await page.getByTestId('comment-body').fill('Laptop imaged.\nDelivering it tomorrow.');
    await page.getByTestId('comment-send').click();
    await expectVisible(page.getByTestId('comment').filter({ hasText: 'Delivering it tomorrow.' }), 'the comment is shown');
  });
  await run('photo', async () => {
    await page.getByTestId('tab-attachments').click();
    await page.getByTestId('photo-input').setInputFiles({ name: 'laptop.png', mimeType: 'image/png', buffer: PNG });
    await expectVisible(page.getByTestId('attachment').filter({ hasText: 'laptop.png' }), 'the photo is listed');
  });
  await run('resolve', async () => {
    await page.getByTestId('status-resolved').click();
    await expectStatus(page, 'Resolved');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `the ticket page fits a 360-px phone (scroll width ${width})`);
    await screenshot(page, 'ticket-phone-resolved');
  });
});

flowTest('the requester sees it resolved, with the history', async () => {
  const page = await open(requester);
  await run('resolved and history', async () => {
    await expectVisible(page.getByTestId('dash-mine').getByRole('link', { name: new RegExp(TITLE) }), 'the dashboard lists my ticket');
    await expectAccessible(page, 'dashboard-requester');
    await openTicket(page);
    await expectStatus(page, 'Resolved');
    await page.getByTestId('tab-history').click();
    const history = page.getByTestId('ticket-history');
    await expectVisible(history, 'the history is shown');
    await expectVisible(history.getByText(`${head.name} approved (step 1)`), 'the history shows the first approval');
    await expectVisible(history.getByText(`${manager.name} approved (step 2)`), 'the history shows the second approval');
    await expectVisible(history.getByText('Status: In progress → Resolved'), 'the history shows the resolution');
    await expectAccessible(page, 'ticket-history');
  });
  assert.deepEqual(pageErrors, [], 'no uncaught errors in any page');
});

async function expectHiddenButton(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).waitFor({ state: 'detached' });
}

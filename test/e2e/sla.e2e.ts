// SLAs in a real browser: the admin creates a business-hours calendar and an SLA policy for urgent
// tickets, moves it to the top, and an urgent ticket shows its first-response and resolution due
// times on its page and in the list; the same ticket at 360 px, without horizontal scrolling.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch } from './browser.js';
import { type Account, expectVisible, newUserPage, openFromNav, settle, setupViaApi, signIn, stepRunner, visitInApp } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };

let browser: Browser;
let context: BrowserContext | undefined;
let page: Page | undefined;
let headers: Record<string, string>;
let ticketNumber = 0;
const { run, flowTest } = stepRunner(() => page);

before(async () => {
  browser = await launch();
  await setupViaApi(COMPANY, ADMIN);
  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: ADMIN.email, password: ADMIN.password }),
  });
  const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  headers = { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf, accept: 'application/json' };
});

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
});

async function openAs(account: Account, width: number, height: number): Promise<Page> {
  await context?.close().catch(() => {});
  const session = await newUserPage(browser, { width, height });
  context = session.context;
  page = session.page;
  await signIn(page, account);
  return page;
}

flowTest('the admin creates a calendar and an urgent policy; an urgent ticket shows its SLA', async () => {
  const p = await openAs(ADMIN, 1366, 800);
  await run('create a business-hours calendar', async () => {
    await openFromNav(p, 'businessHours', '/settings/business-hours');
    await settle(p);
    await expectVisible(p.getByTestId('calendar-row').filter({ hasText: 'Office hours' }), 'the default calendar is listed');
    await p.getByTestId('new-calendar').click();
    const form = p.getByTestId('calendar-form');
    await form.getByLabel('Name').fill('Service desk');
    await form.getByLabel('Time zone').fill('Europe/London');
    await p.keyboard.press('Escape');
    await form.getByTestId('add-range').click();
    const last = form.getByTestId('range-row').last();
    await last.getByLabel('Day').click();
    await p.getByRole('option', { name: 'Sat', exact: true }).click();
    await last.getByLabel('Opens').fill('10:00');
    await last.getByLabel('Closes').fill('14:00');
    await form.getByLabel('Holidays').fill('2026-12-25');
    await form.getByLabel('Holidays').press('Enter');
    await expectAccessible(p, 'sla-calendar-form-1366');
    await form.getByRole('button', { name: 'Save' }).click();
    const row = p.getByTestId('calendar-row').filter({ hasText: 'Service desk' });
    await expectVisible(row, 'the new calendar is listed');
    await expectVisible(row.getByText('Europe/London'), 'with its zone');
    await expectVisible(row.getByText(/Sat 10:00–14:00/), 'and its Saturday hours');
  });

  await run('create an SLA policy for urgent tickets and move it to the top', async () => {
    await openFromNav(p, 'slaPolicies', '/settings/sla-policies');
    await settle(p);
    await expectVisible(p.getByTestId('policy-row').filter({ hasText: 'Standard' }), 'the default policy is listed');
    await p.getByTestId('new-policy').click();
    const form = p.getByTestId('policy-form');
    await form.getByLabel('Name').fill('Urgent desk');
    await form.getByLabel('Business hours').first().click();
    await p.getByRole('option', { name: /Service desk/ }).click();
    await form.getByLabel('Priority', { exact: true }).first().click();
    await p.getByRole('option', { name: 'Urgent', exact: true }).click();
    await p.keyboard.press('Escape');
    await form.getByLabel('First response minutes for urgent').fill('45');
    await expectAccessible(p, 'sla-policy-form-1366');
    await form.getByRole('button', { name: 'Save' }).click();
    const row = p.getByTestId('policy-row').filter({ hasText: 'Urgent desk' });
    await expectVisible(row, 'the new policy is listed');
    await row.getByRole('button', { name: 'Move Urgent desk up' }).click();
    await expectVisible(p.getByTestId('policy-row').first().filter({ hasText: 'Urgent desk' }), 'the urgent policy is tried first');
    await expectAccessible(p, 'sla-policies-1366');
  });

  await run('an urgent ticket shows its SLA on its page and in the list', async () => {
    const made = await fetch(`${BASE_URL}/api/v1/tickets`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ kind: 'incident', title: 'Boiler pressure drop', priority: 'urgent' }),
    });
    assert.equal(made.status, 201);
    const body = (await made.json()) as { ticket: { number: number; sla: { policyId: string; firstResponseDueAt: string } | null } };
    ticketNumber = body.ticket.number;
    const policies = (await (await fetch(`${BASE_URL}/api/v1/sla-policies`, { headers })).json()) as {
      items: { id: string; name: string }[];
    };
    assert.equal(body.ticket.sla?.policyId, policies.items.find((x) => x.name === 'Urgent desk')?.id, 'the urgent policy applies');
    await visitInApp(p, `/tickets/${ticketNumber}`);
    const panel = p.getByTestId('sla-panel');
    await expectVisible(panel, 'the ticket page shows the SLA');
    await expectVisible(panel.getByTestId('sla-first-response').getByText(/due /), 'with the first-response due time');
    await expectVisible(panel.getByTestId('sla-resolution').getByText(/due /), 'and the resolution due time');
    await visitInApp(p, '/tickets');
    await expectVisible(p.getByRole('columnheader', { name: 'SLA due' }), 'the list has an SLA column');
    await expectVisible(p.getByTestId('filter-sla-at-risk'), 'and an at-risk filter');
  });
});

flowTest('the ticket with its SLA at 360 px', async () => {
  const p = await openAs(ADMIN, 360, 740);
  await run('ticket page at 360 px', async () => {
    await visitInApp(p, `/tickets/${ticketNumber}`);
    await expectVisible(p.getByTestId('sla-panel'), 'the SLA panel is shown on a phone');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
    await expectAccessible(p, 'sla-ticket-360');
  });
  await run('policies at 360 px', async () => {
    await visitInApp(p, '/settings/sla-policies');
    await expectVisible(p.getByTestId('policy-row').filter({ hasText: 'Urgent desk' }), 'the policies are listed as cards');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
  });
});

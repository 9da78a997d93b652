// Quick links in a real browser: the admin pins a link for everyone and one for the Technician role
// from the dashboard; a requester's dashboard (at 360 px) shows only everyone's link, opening in a new tab.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch } from './browser.js';
import { type Account, expectVisible, newUserPage, setupViaApi, signIn, stepRunner } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const REQUESTER: Account = { name: 'Rita Requester', email: 'rita@acme.example', password: 'another-long-password' };

let browser: Browser;
let context: BrowserContext | undefined;
let page: Page | undefined;
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
  const headers = { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf, accept: 'application/json' };
  const roles = (await (await fetch(`${BASE_URL}/api/v1/roles`, { headers })).json()) as { items: { id: string; name: string }[] };
  const requesterRole = roles.items.find((r) => r.name === 'Requester');
  assert.ok(requesterRole, 'the Requester role exists');
  const made = await fetch(`${BASE_URL}/api/v1/users`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: REQUESTER.name, email: REQUESTER.email, password: REQUESTER.password, roleId: requesterRole.id }),
  });
  assert.equal(made.status, 201, `the requester is created: ${await made.text()}`);
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

async function pin(p: Page, title: string, url: string, role?: string) {
  const form = p.getByTestId('quick-link-form');
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Address').fill(url);
  if (role) {
    await form.getByLabel('Shown to').first().click();
    await p.getByRole('option', { name: role, exact: true }).click();
  }
  await form.getByTestId('add-quick-link').click();
  await expectVisible(p.getByTestId('quick-link-row').filter({ hasText: title }), `${title} is listed`);
}

flowTest('the admin pins links for everyone and for one role from the dashboard', async () => {
  const p = await openAs(ADMIN, 1366, 800);
  await run('pin two links', async () => {
    await expectVisible(p.getByTestId('quick-links'), 'the admin sees the quick links section');
    await p.getByTestId('manage-quick-links').click();
    await pin(p, 'Intranet', 'https://intranet.example.com/');
    await pin(p, 'Boiler manual', 'https://docs.example.com/boiler.pdf', 'Technician');
    await expectAccessible(p, 'quick-links-manage-1366');
    await p.keyboard.press('Escape');
    await expectVisible(p.getByTestId('quick-link').filter({ hasText: 'Intranet' }), 'the dashboard shows everyone’s link');
    assert.equal(
      await p.getByTestId('quick-link').filter({ hasText: 'Boiler manual' }).count(),
      0,
      'a technician’s link is not on the admin’s dashboard',
    );
  });
});

flowTest('a requester on a phone sees the link meant for everyone', async () => {
  const p = await openAs(REQUESTER, 360, 740);
  await run('requester dashboard at 360 px', async () => {
    const link = p.getByTestId('quick-link').getByRole('link', { name: /Intranet/ });
    await expectVisible(link, 'the requester sees the intranet link');
    assert.equal(await link.getAttribute('href'), 'https://intranet.example.com/');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await p.getByTestId('quick-link').count(), 1, 'only the link for everyone');
    assert.equal(await p.getByTestId('manage-quick-links').count(), 0, 'a requester cannot manage links');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
    await expectAccessible(p, 'quick-links-dashboard-360');
  });
});

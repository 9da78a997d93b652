// e2e-superadmin: olga@operator.example operator-pass-1234
// The operator's restore page in a real browser: the company admin downloads a backup, changes a
// ticket afterwards, and the operator replaces the company with the archive from "Restore a company"
// in the navigation; the admin signs in again and finds the ticket as it was in the backup. At desktop
// width and at 360 px (no sideways scrolling); a file that is no archive is refused, nothing written.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch } from './browser.js';
import { type Account, expectVisible, newUserPage, openFromNav, setupViaApi, signIn, stepRunner, visitInApp } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const OPERATOR: Account = { name: 'Olga Operator', email: 'olga@operator.example', password: 'operator-pass-1234' };

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
let dir: string;
const { run, flowTest } = stepRunner(() => page, 180_000);

before(async () => {
  browser = await launch();
  await setupViaApi(COMPANY, ADMIN);
  dir = await mkdtemp(path.join(tmpdir(), 'steward-restore-e2e-'));
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

async function openAs(account: Account, width: number, height: number): Promise<Page> {
  const session = await newUserPage(browser, { width, height });
  contexts.push(session.context);
  page = session.page;
  await signIn(page, account);
  return page;
}

/** The admin's API calls, on the page's own session (cookie and CSRF token). */
async function api(p: Page, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const me = (await (await p.request.get('/api/v1/me')).json()) as { csrfToken: string };
  const res = await p.request.fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken, ...headers },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok(), `${method} ${url}: ${res.status()} ${await res.text()}`);
  return res.json();
}

async function ticketTitle(p: Page, number: number): Promise<string> {
  return ((await (await p.request.get(`/api/v1/tickets/${number}`)).json()) as { ticket: { title: string } }).ticket.title;
}

async function backupThenRestore(width: number, height: number, label: string) {
  const title = `Boiler room leak ${label}`;
  let admin = await openAs(ADMIN, width, height);
  let number = 0;
  let archive = '';
  await run('the admin creates a ticket and downloads a backup', async () => {
    const created = (await api(admin, 'POST', '/api/v1/tickets', { kind: 'incident', title, description: 'Water under boiler 2', priority: 'high' })) as {
      ticket: { number: number; version: number };
    };
    number = created.ticket.number;
    await visitInApp(admin, '/settings/backup');
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('backup-download').click()]);
    archive = path.join(dir, `acme-${label}.tar.gz`);
    await download.saveAs(archive);
    const current = (await (await admin.request.get(`/api/v1/tickets/${number}`)).json()) as { ticket: { version: number } };
    await api(admin, 'PATCH', `/api/v1/tickets/${number}`, { title: 'Changed after the backup' }, { 'if-match': String(current.ticket.version) });
    assert.equal(await ticketTitle(admin, number), 'Changed after the backup');
  });

  const operator = await openAs(OPERATOR, width, height);
  await run('the operator opens the restore page; a file that is no archive is refused', async () => {
    if (width >= 1000) await openFromNav(operator, 'restoreCompany', '/companies/restore');
    else await visitInApp(operator, '/companies/restore');
    const junk = path.join(dir, 'junk.tar.gz');
    await writeFile(junk, 'this is not a backup');
    await operator.locator('input[type="file"]').setInputFiles(junk);
    await operator.getByText('Replace a company').click();
    await operator.getByTestId('restore-slug').fill(COMPANY.slug);
    await operator.getByTestId('restore-submit').click();
    await expectVisible(operator.getByTestId('restore-error'), 'the refusal is shown');
    const overflow = await operator.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no sideways scrolling (overflow ${overflow}px)`);
    await expectAccessible(operator, `restore-${label}`);
  });
  await run('the operator replaces the company with the archive', async () => {
    await operator.locator('input[type="file"]').setInputFiles(archive);
    await operator.getByTestId('restore-submit').click();
    await expectVisible(operator.getByTestId('restore-done'), 'the page says the company is restored');
    assert.match((await operator.getByTestId('restore-done').textContent()) ?? '', /Acme Facilities \(acme\) is restored/);
  });
  await run('the admin signs in again and finds the ticket as it was in the backup', async () => {
    admin = await openAs(ADMIN, width, height);
    assert.equal(await ticketTitle(admin, number), title);
  });
}

flowTest('backup and restore in place, through the operator screen (desktop)', () => backupThenRestore(1366, 800, 'desktop'));
flowTest('the restore page works at 360 px', () => backupThenRestore(360, 740, 'phone'));

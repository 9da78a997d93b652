// The admin list kit in a real browser, on the departments page: load more over keyset pages,
// create, edit with a validation error the server sends (shown on the field), search, and delete
// with a confirm — at 1366 px as a table, and at 360 px as cards without sideways scrolling.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch } from './browser.js';
import {
  type Account,
  eventually,
  expectHidden,
  expectVisible,
  newUserPage,
  openFromNav,
  setupViaApi,
  signIn,
  stepRunner,
} from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
/**
 * More than one page (the list asks for 50 at a time). "Zone …" sorts after the departments the
 * test makes, so those are on the first page.
 */
const SEEDED = 57;
/** The seeded ones plus those a new company starts with. */
let total = 0;

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
  for (let i = 1; i <= SEEDED; i++) {
    const res = await fetch(`${BASE_URL}/api/v1/departments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: `Zone ${String(i).padStart(3, '0')}` }),
    });
    assert.equal(res.status, 201, `department ${i} is created: ${await res.text()}`);
  }
  const all = (await (await fetch(`${BASE_URL}/api/v1/departments?limit=200`, { headers })).json()) as { items: unknown[] };
  total = all.items.length;
  assert.ok(total > 50 && total < 100, `more than one page of departments (${total})`);
});

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
});

async function openDepartments(width: number, height: number): Promise<Page> {
  await context?.close().catch(() => {});
  const session = await newUserPage(browser, { width, height });
  context = session.context;
  page = session.page;
  await signIn(page, ADMIN);
  await openFromNav(page, 'departments', '/departments');
  await expectVisible(page.getByTestId('departments-table'), 'the departments list is shown');
  return page;
}

const rows = (p: Page) => p.getByTestId('department-row');
const countRows = (p: Page) => () => rows(p).count();

async function noSidewaysScroll(p: Page): Promise<void> {
  const width = await p.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
  assert.ok(width <= 361, `no sideways scrolling of the page at 360 px (${width} px wide)`);
}

flowTest('1366 px: load more, create, edit with a server validation error, search, delete', async () => {
  const p = await openDepartments(1366, 900);

  await run('first page and load more', async () => {
    await eventually(countRows(p), (n) => n === 50, 'the first page shows 50 departments');
    assert.equal(await p.locator('table[data-testid="departments-table"]').count(), 1, 'a wide screen shows a table');
    await p.getByRole('button', { name: 'Load more' }).click();
    await eventually(countRows(p), (n) => n === total, `"Load more" shows all ${total} departments`);
    await expectHidden(p.getByRole('button', { name: 'Load more' }), 'no "Load more" after the last page');
    await expectAccessible(p, 'departments');
  });

  await run('create', async () => {
    await p.getByRole('button', { name: 'New department' }).click();
    const form = p.getByTestId('department-form');
    await expectVisible(form, 'the department form opens');
    await form.getByRole('button', { name: 'Save' }).click();
    await expectVisible(form.getByText('Required', { exact: false }), 'an empty name is refused before sending');
    await form.getByRole('textbox', { name: 'Name' }).fill('Quality Assurance');
    await form.getByRole('button', { name: 'Save' }).click();
    await expectHidden(p.getByRole('dialog'), 'the dialog closes after saving');
    await expectVisible(rows(p).filter({ hasText: 'Quality Assurance' }), 'the new department is listed');
  });

  await run('edit with a validation error from the server', async () => {
    await p.getByRole('button', { name: 'Edit department Quality Assurance' }).click();
    const form = p.getByTestId('department-form');
    const name = form.getByRole('textbox', { name: 'Name' });
    await name.fill('Q'.repeat(201));
    await form.getByRole('button', { name: 'Save' }).click();
    await eventually(
      () => name.getAttribute('aria-invalid'),
      (v) => v === 'true',
      'the server refusal marks the name field',
    );
    const describedBy = (await name.getAttribute('aria-describedby')) ?? '';
    const message = await p.evaluate(
      (ids) =>
        ids
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' '),
      describedBy,
    );
    assert.match(message, /200/, `the field says what is wrong (got "${message}")`);
    await expectVisible(form, 'the dialog stays open on a refusal');
    await name.fill('Quality Control');
    await form.getByRole('button', { name: 'Save' }).click();
    await expectHidden(p.getByRole('dialog'), 'the dialog closes after saving');
    await expectVisible(rows(p).filter({ hasText: 'Quality Control' }), 'the renamed department is listed');
  });

  await run('search', async () => {
    await p.getByRole('searchbox', { name: 'Search' }).fill('quality');
    await eventually(countRows(p), (n) => n === 1, 'the search leaves one department');
    await expectVisible(rows(p).filter({ hasText: 'Quality Control' }), 'the one found is Quality Control');
    await p.getByRole('searchbox', { name: 'Search' }).fill('no such department');
    await expectVisible(p.getByText('Nothing found'), 'a search without results says so');
    await p.getByRole('searchbox', { name: 'Search' }).fill('quality');
    await eventually(countRows(p), (n) => n === 1, 'the search finds it again');
  });

  await run('delete with confirm', async () => {
    await p.getByRole('button', { name: 'Delete department Quality Control' }).click();
    const dialog = p.getByRole('dialog');
    await expectVisible(dialog.getByText('The department "Quality Control" will be deleted.'), 'the delete asks first');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expectHidden(rows(p).filter({ hasText: 'Quality Control' }), 'the department is gone');
    await expectVisible(p.getByText('No departments yet.').or(p.getByText('Nothing found')), 'the search shows no department');
  });
});

flowTest('360 px: cards, load more, search, edit and delete from a card', async () => {
  const p = await openDepartments(360, 740);

  await run('cards and load more', async () => {
    await eventually(countRows(p), (n) => n === 50, 'the first page shows 50 departments');
    assert.equal(await p.locator('table[data-testid="departments-table"]').count(), 0, 'a phone shows cards, not a table');
    await noSidewaysScroll(p);
    await p.getByRole('button', { name: 'Load more' }).click();
    await eventually(countRows(p), (n) => n === total, `"Load more" shows all ${total} departments`);
    await expectAccessible(p, 'departments-phone');
  });

  await run('search and edit from a card', async () => {
    await p.getByRole('searchbox', { name: 'Search' }).fill('Zone 007');
    await eventually(countRows(p), (n) => n === 1, 'the search leaves one card');
    const card = rows(p).filter({ hasText: 'Zone 007' });
    await card.getByRole('button', { name: 'Edit department Zone 007' }).click();
    const form = p.getByTestId('department-form');
    await form.getByRole('textbox', { name: 'Name' }).fill('Zone 007 North');
    await form.getByRole('button', { name: 'Save' }).click();
    await expectHidden(p.getByRole('dialog'), 'the dialog closes after saving');
    await expectVisible(rows(p).filter({ hasText: 'Zone 007 North' }), 'the card shows the new name');
    await noSidewaysScroll(p);
  });

  await run('delete from a card', async () => {
    await rows(p).filter({ hasText: 'Zone 007 North' }).getByRole('button', { name: 'Delete department Zone 007 North' }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expectHidden(rows(p).filter({ hasText: 'Zone 007 North' }), 'the card is gone');
  });
});

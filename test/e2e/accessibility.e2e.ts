// Accessibility across the product: axe finds no serious or critical violation on any page, in each
// of the four themes (light, dark, ocean, fallout: every rule in the first, the colour rules in the
// others), and the ticket page works with the keyboard alone
// (skip link, Tab to the comment box, Enter sends). One browser context visits every page once per
// theme, moving inside the app instead of reloading, so the suite stays short.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, launch, screenshot } from './browser.js';
import {
  type Account,
  axeProblems,
  ensureDemoSetup,
  expectVisible,
  newUserPage,
  settle,
  signIn,
  stepRunner,
  useTheme,
  visitInApp,
} from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const THEMES = ['light', 'dark', 'ocean', 'fallout'];
// A theme changes colours only: the first theme gets every WCAG A/AA rule, the others the rules that
// read colours (the same pages and states, a quarter of the checks; the suite took 150 s with all).
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];
// While fixing, A11Y_THEMES=ocean,fallout or A11Y_PAGES=/tickets,/assets narrow the sweep.
const onlyThemes = process.env.A11Y_THEMES?.split(',');
const onlyPages = process.env.A11Y_PAGES?.split(',');

let browser: Browser;
let context: BrowserContext | undefined;
let page: Page | undefined;
let cookie = '';
const pages: string[] = [];
let publicPath = '';
let ticketNumber = 0;
const { run, flowTest } = stepRunner(() => page, 480_000);

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${BASE_URL}${path}`, { headers: { cookie } });
  assert.equal(res.status, 200, `GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

const firstId = async (path: string) => (await api<{ items: { id: string }[] }>(path)).items[0]?.id;

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: ADMIN.email, password: ADMIN.password }),
  });
  assert.equal(login.status, 200, 'the admin signs in through the API');
  cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

  const tickets = await api<{ items: { number: number }[] }>('/api/v1/tickets?limit=1');
  ticketNumber = tickets.items[0]?.number ?? 0;
  assert.ok(ticketNumber, 'the demo data has a ticket');
  const assets = await api<{ items: { id: string; publicUrl: string }[] }>('/api/v1/assets?limit=1');
  const asset = assets.items[0];
  assert.ok(asset, 'the demo data has an asset');
  publicPath = new URL(asset.publicUrl).pathname;
  const detail = async (list: string, prefix: string) => {
    const id = await firstId(list);
    return id ? [`${prefix}/${id}`] : [];
  };
  pages.push(
    '/',
    '/tickets',
    '/tickets/new',
    `/tickets/${ticketNumber}`,
    '/notifications',
    '/supply/new',
    '/assets',
    '/assets/new',
    '/assets/import',
    `/assets/${asset.id}`,
    `/assets/${asset.id}/edit`,
    '/locations',
    ...(await detail('/api/v1/locations?limit=1', '/locations')),
    '/parts',
    ...(await detail('/api/v1/parts?limit=1', '/parts')),
    '/vendors',
    '/projects',
    ...(await detail('/api/v1/projects?limit=1', '/projects')),
    '/planned-items',
    '/purchase-orders',
    ...(await detail('/api/v1/purchase-orders?limit=1', '/purchase-orders')),
    '/purchasing/setup',
    '/schedule',
    '/time-off',
    '/users',
    '/roles',
    '/roles/new',
    ...(await detail('/api/v1/roles', '/roles')),
    '/departments',
    '/categories',
    '/teams',
    '/settings/picklists',
    '/outbox',
    ...(await detail('/api/v1/outbox?limit=1', '/outbox')),
    '/audit',
    '/companies',
    '/profile',
    '/sessions',
  );
});

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
});

flowTest('no serious or critical axe violation on any page, in every theme', async () => {
  const problems: string[] = [];
  const check = async (p: Page, label: string, rules?: string[]) => {
    const found = await axeProblems(p, label, { rules });
    if (found.length) {
      // Printed as found, so a run that is stopped early still says what it saw.
      console.log(found.join('\n'));
      await screenshot(p, `axe-${label.replace(/\W+/g, '-')}`);
      problems.push(...found);
    }
  };
  await run('sign in', async () => {
    const session = await newUserPage(browser, { width: 1366, height: 900 });
    context = session.context;
    page = session.page;
    // The signed-out pages first (light: no profile yet).
    for (const path of ['/login', '/forgot-password', publicPath]) {
      await page.goto(path);
      await settle(page);
      await check(page, `signed-out ${path}`);
    }
    await signIn(page, ADMIN);
  });
  for (const theme of THEMES.filter((x) => !onlyThemes || onlyThemes.includes(x))) {
    await run(`every page in the ${theme} theme`, async () => {
      const p = page!;
      await useTheme(p, theme);
      const started = Date.now();
      for (const path of pages.filter((x) => !onlyPages || onlyPages.includes(x))) {
        await visitInApp(p, path);
        await check(p, `${theme} ${path}`, theme === THEMES[0] ? undefined : COLOUR_RULES);
      }
      console.log(`# ${theme}: ${pages.length} pages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
  }
  assert.deepEqual(problems, [], `axe found problems:\n${problems.join('\n')}`);
});

flowTest('the ticket page works with the keyboard alone', async () => {
  await run('skip link, comment box and send by keyboard', async () => {
    const p = page!;
    await useTheme(p, 'light');
    await p.goto(`/tickets/${ticketNumber}`);
    await settle(p);
    const focused = () =>
      p.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.id ?? '');
    await p.keyboard.press('Tab');
    assert.equal(await focused(), 'skip-link', 'the first Tab reaches the "Skip to the page content" link');
    await p.keyboard.press('Enter');
    assert.equal(await focused(), 'main', 'Enter on the skip link moves focus to the page content');
    let presses = 0;
    while ((await focused()) !== 'comment-body') {
      assert.ok(++presses < 80, 'Tab reaches the comment box within 80 presses');
      await p.keyboard.press('Tab');
    }
    const text = `Typed with the keyboard only ${Date.now().toString(36)}`;
    await p.keyboard.type(text);
    presses = 0;
    while ((await focused()) !== 'comment-send') {
      assert.ok(++presses < 10, 'Tab reaches the send button after the comment box');
      await p.keyboard.press('Tab');
    }
    const visible = await p.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return style.outlineStyle !== 'none' || style.boxShadow !== 'none';
    });
    assert.ok(visible, 'the focused send button shows a focus ring');
    await p.keyboard.press('Enter');
    await expectVisible(p.getByTestId('comment').filter({ hasText: text }), 'the comment sent with Enter appears on the ticket');
  });
});

// Layout at 1366 px and 360 px (issue 10 items 5-7): no status or priority badge is cut off on the
// ticket, asset and part lists, a long unbroken ticket title wraps, nothing on the dashboard runs off a
// phone screen; the "tickets by status over time" chart has axes, a legend, tooltips and a text
// alternative (no table of zeros); the admin dashboard does not repeat the navigation; the navigation
// is grouped and shows each person only what they may use; the fallout theme has no blue bars.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch } from './browser.js';
import {
  type Account,
  ensureDemoSetup,
  expectVisible,
  navNames,
  newUserPage,
  openFromNav,
  settle,
  signIn,
  stepRunner,
  useTheme,
  visitInApp,
} from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const LONG_TITLE = `Printer-error-code-${'X'.repeat(40)}-${Date.now().toString(36)}-https://intranet.example.com/very/long/path/without/any/spaces`;

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
let requester: Account;
const { run, flowTest } = stepRunner(() => page, 180_000);

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
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
  const created = await fetch(`${BASE_URL}/api/v1/tickets`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'incident', title: LONG_TITLE, priority: 'urgent' }),
  });
  assert.equal(created.status, 201, `a ticket with a long unbroken title: ${await created.text()}`);
  // One part under its reorder point, so the part list shows a badge to measure.
  const parts = (await (await fetch(`${BASE_URL}/api/v1/parts?limit=1`, { headers: { cookie } })).json()) as { items: { id: string }[] };
  assert.ok(parts.items[0], 'the demo data has a part');
  const low = await fetch(`${BASE_URL}/api/v1/parts/${parts.items[0].id}`, {
    method: 'PATCH',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ reorderPoint: 100000 }),
  });
  assert.equal(low.status, 200, `a part goes under its reorder point: ${await low.text()}`);
  // Demo people sign in with the admin's password; Hannah Schulz is a requester.
  const users = (await (await fetch(`${BASE_URL}/api/v1/users?q=Hannah`, { headers: { cookie } })).json()) as {
    items: { name: string; email: string }[];
  };
  const hannah = users.items.find((u) => u.name === 'Hannah Schulz');
  assert.ok(hannah, 'the demo data has the requester Hannah Schulz');
  requester = { name: hannah.name, email: hannah.email, password: ADMIN.password };
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

/** Badges in the page content whose text does not fit (cut off or ellipsised). */
async function cutBadges(p: Page): Promise<string[]> {
  return p.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main .mantine-Badge-root, main .mantine-Badge-label')]
      .filter((el) => el.scrollWidth > el.clientWidth + 0.5)
      .map((el) => `${el.textContent} (${el.scrollWidth} > ${el.clientWidth})`),
  );
}

/** How far the page is wider than the screen (0 when nothing runs off to the side). */
async function pageOverflow(p: Page): Promise<number> {
  return p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

async function openAs(account: Account, width: number): Promise<Page> {
  const session = await newUserPage(browser, { width, height: width < 500 ? 740 : 900 });
  contexts.push(session.context);
  page = session.page;
  await signIn(page, account);
  return page;
}

for (const width of [1366, 360]) {
  flowTest(`lists at ${width} px: badges whole, long titles wrapped`, async () => {
    const p = await openAs(ADMIN, width);
    for (const [path, testId] of [
      ['/tickets', width < 500 ? 'ticket-cards' : 'tickets-table'],
      ['/assets', width < 500 ? 'asset-cards' : 'assets-table'],
      ['/parts', width < 500 ? 'part-cards' : 'parts-table'],
    ] as const) {
      await run(`${path} at ${width} px`, async () => {
        await visitInApp(p, path);
        await expectVisible(p.getByTestId(testId), `${path} shows its ${testId} at ${width} px`);
        const badges = await p.locator('main .mantine-Badge-root').count();
        assert.ok(badges > 0, `${path} shows status badges`);
        assert.deepEqual(await cutBadges(p), [], `no badge is cut off on ${path} at ${width} px`);
        assert.ok((await pageOverflow(p)) <= 0, `${path} does not run off the side of the screen at ${width} px`);
      });
    }
    await run(`the long ticket title wraps at ${width} px`, async () => {
      await visitInApp(p, '/tickets');
      const link = p.getByTestId('ticket-link').filter({ hasText: LONG_TITLE.slice(0, 30) });
      await expectVisible(link, 'the ticket with the long title is listed');
      const box = await link.boundingBox();
      assert.ok(box, 'the title has a box');
      assert.ok(box.x + box.width <= width, `the title stays on screen (right edge ${box.x + box.width} of ${width})`);
      assert.ok(box.height > 30, `the title wraps onto more than one line (height ${box.height})`);
      if (width > 500) {
        const fits = await p
          .getByTestId('tickets-table')
          .evaluate((table) => table.scrollWidth <= (table.parentElement?.clientWidth ?? 0) + 1);
        assert.ok(fits, 'the ticket table does not scroll sideways because of one title');
      }
    });
  });

  flowTest(`admin dashboard at ${width} px: a real chart, no repeated navigation, nothing off screen`, async () => {
    const p = await openAs(ADMIN, width);
    await run(`dashboard at ${width} px`, async () => {
      await settle(p);
      // The chart's code loads when its place scrolls near the screen.
      await p.getByTestId('status-chart-slot').scrollIntoViewIfNeeded();
      const chart = p.getByTestId('status-chart');
      await expectVisible(chart, 'the "tickets by status over time" chart is shown');
      await expectVisible(chart.locator('.recharts-surface'), 'the chart is drawn');
      assert.equal(await chart.locator('.recharts-xAxis').count(), 1, 'the chart has an x axis');
      assert.equal(await chart.locator('.recharts-yAxis').count(), 1, 'the chart has a y axis');
      assert.ok((await chart.locator('[class*="legendItem"]').count()) > 0, 'the chart has a legend');
      assert.equal(await p.getByTestId('status-table').count(), 0, 'no table of numbers under the chart');
      const caption = (await chart.locator('figcaption').textContent()) ?? '';
      assert.match(caption, /tickets? created in the last 30 days/, 'the chart has a text alternative for screen readers');
      const describedBy = await chart.getAttribute('aria-describedby');
      assert.ok(describedBy && (await p.locator(`[id="${describedBy}"]`).count()) === 1, 'the chart points at its description');
      // Tooltips: point at the last day (the demo data has tickets created today).
      await chart.scrollIntoViewIfNeeded();
      const plot = await chart.locator('.recharts-cartesian-grid').boundingBox();
      assert.ok(plot, 'the chart has a plot area');
      await p.mouse.move(plot.x + plot.width / 2, plot.y + plot.height / 2);
      await p.mouse.move(plot.x + plot.width - 6, plot.y + plot.height / 2, { steps: 5 });
      await expectVisible(chart.locator('.recharts-tooltip-wrapper').filter({ hasText: /\d/ }), 'hovering a bar shows a tooltip').catch(
        async (error: Error) => {
          const html = await chart.locator('.recharts-wrapper').evaluate((e) => e.outerHTML.replace(/<path[^>]*>/g, '').slice(-1500));
          throw new Error(`${error.message}\n${html}`);
        },
      );
      const repeated = await p
        .locator('main a[href="/users"], main a[href="/roles"], main a[href="/audit"], main a[href="/api/docs"]')
        .count();
      assert.equal(repeated, 0, 'the dashboard does not repeat the navigation as cards');
      assert.ok((await pageOverflow(p)) <= 0, `the dashboard does not run off the side at ${width} px`);
      const wide = await p.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('main section')]
          .filter((s) => s.scrollWidth > s.clientWidth + 1)
          .map((s) => s.getAttribute('aria-label')),
      );
      assert.deepEqual(wide, [], `no dashboard section overflows at ${width} px`);
      await expectAccessible(p, `dashboard-${width}`);
    });
  });
}

flowTest('the navigation is grouped; the API docs are in the user menu', async () => {
  const p = await openAs(ADMIN, 1366);
  await run('admin navigation', async () => {
    const headings = await p.locator('[data-testid^="navgroup-"] h2').allTextContents();
    for (const name of ['Service desk', 'Assets and inventory', 'Planning', 'Administration']) {
      assert.ok(headings.includes(name), `the navigation has the group "${name}" (saw ${headings.join(', ')})`);
    }
    const admin = await p
      .getByTestId('navgroup-administration')
      .locator('[data-testid^="nav-"]')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.testid));
    for (const name of ['nav-users', 'nav-roles', 'nav-audit']) assert.ok(admin.includes(name), `${name} is under Administration`);
    const desk = await p
      .getByTestId('navgroup-serviceDesk')
      .locator('[data-testid^="nav-"]')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.testid));
    assert.ok(
      desk.includes('nav-tickets') && desk.includes('nav-supplyRequest'),
      `tickets and supplies are under Service desk (saw ${desk})`,
    );
    assert.ok(!(await navNames(p)).includes('apiDocs'), 'the API docs are not in the main navigation');
    await p.getByTestId('user-menu').click();
    await expectVisible(p.getByTestId('menu-apiDocs'), 'the user menu has the API docs');
    await p.keyboard.press('Escape');
  });

  await run('fallout theme: workload bars are not blue', async () => {
    await useTheme(p, 'fallout');
    const bars = p.locator('.steward-bar');
    await expectVisible(bars, 'the workload bars are shown');
    const colours = await bars.evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    for (const c of colours) {
      const [r, g, b] = (c.match(/\d+(\.\d+)?/g) ?? []).map(Number);
      assert.ok(g > b && g > r, `a fallout workload bar is terminal green, not ${c}`);
    }
    await useTheme(p, 'light');
  });
});

flowTest('a requester sees only what they may use, and may request supplies', async () => {
  const p = await openAs(requester, 360);
  await run('requester navigation', async () => {
    const nav = await navNames(p);
    for (const name of ['dashboard', 'newTicket', 'supplyRequest', 'profile']) {
      assert.ok(nav.includes(name), `the requester sees "${name}" (saw ${nav.join(', ')})`);
    }
    for (const name of ['users', 'roles', 'audit', 'parts', 'purchaseOrders', 'apiDocs', 'outbox']) {
      assert.ok(!nav.includes(name), `the requester does not see "${name}" (saw ${nav.join(', ')})`);
    }
    assert.equal(await p.getByTestId('navgroup-administration').count(), 0, 'no Administration group for a requester');
    await openFromNav(p, 'supplyRequest', '/supply/new');
    await expectVisible(p.getByTestId('supply-form'), 'the requester can open the supply request form');
    assert.ok((await pageOverflow(p)) <= 0, 'the supply form fits a phone');
  });
});

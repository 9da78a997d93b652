// e2e-env: PUBLIC_URL=
// The screens speak the users' words: setup asks for the public address, currency and format; a
// wrong password says so, the last attempt warns and a lockout says until when; asset history reads
// "Checked out to … until …" with the raw record one click away; money is in the company currency;
// the audit log shows labels; QR codes warn when they carry an address this browser does not use.
// Desktop and 360 px. Runs without PUBLIC_URL (see the first line), so QR codes carry a guess.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch } from './browser.js';
import { type Account, eventually, expectHidden, expectVisible, newUserPage, signIn, stepRunner, waitForPath } from './support.js';

const admin: Account = { name: 'Wanda Words', email: 'wanda@words.example', password: 'a-long-password-8' };
const keeper = { name: 'Noah Williams', email: 'noah@words.example', password: 'another-password-7' };

let browser: Browser;
let current: Page | undefined;
const { run, flowTest } = stepRunner(() => current);
let assetId = '';

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** JSON calls as the signed-in page (its cookie and CSRF token). */
async function api(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch('/api/v1/me')).json();
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    },
    { method, url, body },
  );
}

async function noSideways(page: Page, label: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= (page.viewportSize()?.width ?? 0), `${label}: no horizontal scrolling (${width})`);
}

flowTest('setup asks for the public address (the browser’s), format and currency', async () => {
  const { context, page } = await newUserPage(browser);
  current = page;
  try {
    await run('setup form', async () => {
      await page.goto('/setup');
      const form = page.getByTestId('setup-form');
      await expectVisible(form, 'the setup form is shown');
      assert.equal(
        await form.getByLabel('Public address').inputValue(),
        BASE_URL,
        'the public address defaults to the one the browser used',
      );
      await form.getByLabel('Company name').fill('Words Ltd');
      await form.getByRole('textbox', { name: 'Name', exact: true }).fill(admin.name);
      await form.getByLabel('E-mail').fill(admin.email);
      await form.getByLabel('Password').fill(admin.password);
      await form.getByLabel('Number and date format', { exact: true }).fill('en-GB');
      await page.getByRole('option', { name: 'en-GB', exact: true }).click();
      await form.getByLabel('Currency', { exact: true }).fill('EUR');
      await page.getByRole('option', { name: 'EUR', exact: true }).click();
      await expectVisible(form.getByText('Money looks like €1,234.50'), 'the format choice shows how money looks');
      await expectAccessible(page, 'setup-words');
      await form.getByRole('button', { name: 'Create company' }).click();
      await waitForPath(page, '/login', /email=/);
    });
  } finally {
    await context.close();
  }
});

flowTest('a wrong password says so; the last attempt warns; a lockout says until when', async () => {
  const { context, page } = await newUserPage(browser, { width: 360, height: 740 });
  current = page;
  try {
    const form = page.getByTestId('login-form');
    const attempt = async (password: string) => {
      await form.getByLabel('E-mail or username').fill('ghost@words.example');
      await form.getByLabel('Password').fill(password);
      await form.getByRole('button', { name: 'Sign in' }).click();
    };
    await run('wrong password', async () => {
      await page.goto('/login');
      await attempt('wrong-1');
      const refused = page.getByTestId('login-refused');
      await expectVisible(refused.getByText('Wrong login or password'), 'a wrong password says "Wrong login or password"');
      assert.equal(await page.getByText('Something went wrong').count(), 0, 'not "Something went wrong"');
      await expectAccessible(page, 'login-wrong-360');
    });
    await run('last attempt warns', async () => {
      for (const p of ['wrong-2', 'wrong-3']) {
        await attempt(p);
        await page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      }
      await attempt('wrong-4');
      await expectVisible(page.getByTestId('login-last-attempt'), 'the fourth failure warns that the next one locks');
      assert.match(await page.getByTestId('login-last-attempt').innerText(), /One more wrong attempt locks signing in for 15 minutes/);
    });
    await run('lockout says until when', async () => {
      await attempt('wrong-5');
      const locked = page.getByTestId('login-locked');
      await expectVisible(locked, 'the lockout is announced');
      const text = (await locked.innerText()).replace(/\s/g, ' ');
      // The end of the lock in the browser's zone, named: one of the minutes around now + 15.
      const candidates = [-1, 0, 1].map((m) =>
        new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' })
          .format(new Date(Date.now() + (15 + m) * 60_000))
          .replace(/\s/g, ' '),
      );
      assert.ok(
        candidates.some((c) => text.includes(c)),
        `the lockout says until when, with the zone (${candidates.join(' | ')}): ${text}`,
      );
      await noSideways(page, 'login 360');
    });
  } finally {
    await context.close();
  }
});

flowTest('asset history in words, money in euros, raw record one click away', async () => {
  const { context, page } = await newUserPage(browser);
  current = page;
  try {
    await run('sign in and make an asset checked out to Noah', async () => {
      await signIn(page, admin);
      const roles = await api(page, 'GET', '/api/v1/roles');
      const technician = roles.body.items.find((r: { name: string }) => r.name === 'Technician');
      const made = await api(page, 'POST', '/api/v1/users', { ...keeper, roleId: technician.id });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const cats = await api(page, 'GET', '/api/v1/picklists/categories');
      const room = await api(page, 'POST', '/api/v1/locations', { name: 'Store room' });
      const asset = await api(page, 'POST', '/api/v1/assets', {
        name: 'ThinkPad X1',
        categoryId: cats.body.items[0].id,
        locationId: room.body.id,
        purchaseCost: 1299.5,
      });
      assert.equal(asset.status, 201, JSON.stringify(asset.body));
      assetId = asset.body.asset.id;
      const userId = made.body.user?.id ?? made.body.id;
      const out = await api(page, 'POST', `/api/v1/assets/${assetId}/checkout`, { userId, expectedReturn: '2030-12-12' });
      assert.equal(out.status, 200, JSON.stringify(out.body));
    });
    await run('history speaks words', async () => {
      await page.goto(`/assets/${assetId}`);
      await expectVisible(page.getByText('€1,299.50'), 'the purchase cost is in euros, en-GB style');
      await page.getByTestId('tab-asset-history').click();
      const history = page.getByTestId('asset-history');
      await expectVisible(history.getByText('Checked out to Noah Williams until 12 Dec 2030'), 'the check-out reads as a sentence');
      await expectVisible(history.getByText('Status: In stock → In use'), 'the status change uses the status names');
      await expectVisible(history.getByText('Location: — → Store room'), 'the location is named');
      const text = await history.innerText();
      for (const raw of ['in_stock', 'assignedToId', 'locationId', '{']) assert.ok(!text.includes(raw), `no raw "${raw}" in the history`);
      await history.getByTestId('raw-details-toggle').last().click();
      await expectVisible(history.getByTestId('raw-details'), 'the raw record opens');
      assert.match(await history.getByTestId('raw-details').innerText(), /"field": "assignedToId"/);
      await expectAccessible(page, 'asset-history-words');
    });
    await run('audit log labels', async () => {
      await page.goto('/audit');
      const table = page.getByTestId('audit-table');
      await expectVisible(table.getByTestId('audit-action').filter({ hasText: 'Steward was set up' }), 'setup has a label');
      await expectVisible(table.getByTestId('audit-action').filter({ hasText: 'Signed in' }).first(), 'signing in has a label');
      await expectVisible(table.getByTestId('audit-action').filter({ hasText: 'Location created' }), 'a new location has a label');
      assert.equal(await table.getByText('auth.login', { exact: true }).count(), 0, 'no raw action codes');
      await expectAccessible(page, 'audit-words');
    });
  } finally {
    await context.close();
  }
});

flowTest('QR codes warn when they carry an address this browser does not use', async () => {
  const { context, page } = await newUserPage(browser);
  current = page;
  const other = BASE_URL.replace('127.0.0.1', 'localhost');
  try {
    await run('no warning where the codes point', async () => {
      await signIn(page, admin);
      await page.goto(`/assets/${assetId}`);
      await expectVisible(page.getByTestId('qr-panel'), 'the QR panel is shown');
      await expectHidden(page.getByTestId('qr-address-warning'), 'setup stored this address, so no warning');
      // Back to the server's guess (no PUBLIC_URL, no company address).
      assert.equal((await api(page, 'PATCH', '/api/v1/settings', { publicUrl: null })).status, 200);
    });
  } finally {
    await context.close();
  }
  for (const width of [1280, 360]) {
    const session = await browser.newContext({ viewport: { width, height: 800 }, baseURL: other, reducedMotion: 'reduce' });
    const p = await session.newPage();
    current = p;
    try {
      await run(`warning at ${width} px from another host`, async () => {
        await signIn(p, admin);
        await p.goto(`/assets/${assetId}`);
        const warning = p.getByTestId('qr-address-warning');
        await expectVisible(warning, 'the QR panel warns about the address the codes carry');
        assert.ok((await warning.innerText()).includes(BASE_URL), 'it names the address the codes carry');
        assert.match(await warning.innerText(), /PUBLIC_URL/, 'and says how to set it');
        await noSideways(p, `asset page ${width}`);
        await expectAccessible(p, `qr-warning-${width}`);
        if (width === 360) {
          await p.getByTestId('qr-address-adopt').click();
          await expectHidden(warning, 'adopting this address ends the warning');
          // The asset is read again after the setting is saved: its link follows a moment later.
          await eventually(
            () => p.getByTestId('public-url').innerText(),
            (text) => text.startsWith(`${other}/r/`),
            'the public link now carries this address',
          );
        }
      });
    } finally {
      await session.close();
    }
  }
});

// e2e-env: MQTT_PORT=18832
// e2e-superadmin: olga@operator.example operator-pass-1234
// The operator's system page in a real browser: the version, each dependency's state (this instance
// runs web and worker in one process on the embedded database), the process list from the
// heartbeats, and the job queues; at 360 px the page itself does not scroll sideways.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch, screenshot } from './browser.js';
import { expectVisible, newUserPage, openFromNav, setupViaApi, stepRunner, waitForPath } from './support.js';

const OPERATOR = { email: 'olga@operator.example', password: 'operator-pass-1234' };

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => page, 120_000);

before(async () => {
  browser = await launch();
  // A set-up instance (else every page leads to the setup screen).
  await setupViaApi({ name: 'Acme Facilities', slug: 'acme' }, { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' });
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

async function signInOperator(p: Page): Promise<void> {
  await p.goto('/login');
  const form = p.getByTestId('login-form');
  await form.getByLabel('E-mail or username').fill(OPERATOR.email);
  await form.getByLabel('Password').fill(OPERATOR.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await waitForPath(p, '/');
}

for (const viewport of [
  { label: 'desktop', width: 1366, height: 900 },
  { label: 'phone', width: 360, height: 740 },
]) {
  flowTest(`${viewport.label}: the operator sees the instance's version, checks, processes and queues`, async () => {
    await run('sign in as the operator', async () => {
      const session = await newUserPage(browser, { width: viewport.width, height: viewport.height });
      contexts.push(session.context);
      page = session.page;
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await signInOperator(page);
    });
    const p = page as Page;
    await run('open the system page from the navigation', async () => {
      await openFromNav(p, 'system', '/system');
      await expectVisible(p.getByRole('heading', { name: 'System', exact: true }), 'the system page is shown');
      await expectVisible(p.getByText(/^Steward \d+\.\d+\.\d+/), 'the version is shown');
      await expectVisible(p.getByText('Embedded database (PGlite)'), 'the database kind is shown');
    });
    await run('each dependency with its state', async () => {
      const database = p.getByTestId('check-database');
      await expectVisible(database.getByText('OK'), 'the database check is OK');
      await expectVisible(database.getByText(/every migration applied/), 'the database check says the migrations are applied');
      await expectVisible(p.getByTestId('check-workers').getByText('this process runs the jobs'), 'this process runs the worker');
      await expectVisible(p.getByTestId('check-mail').getByText(/kept in the outbox/), 'mail without SMTP is kept in the outbox');
      await expectVisible(p.getByTestId('check-broker').getByText(/embedded MQTT broker/), 'the embedded broker is named');
    });
    await run('the process list from the heartbeats', async () => {
      const row = p.getByRole('row').filter({ hasText: 'Running' }).first();
      await expectVisible(row, 'this process is listed as running');
      assert.match(await row.innerText(), /web, worker/, 'with both roles');
    });
    await run('no sideways scrolling of the page', async () => {
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
      await screenshot(p, `system-${viewport.label}`);
      if (viewport.label === 'desktop') await expectAccessible(p, 'system');
    });
  });
}

flowTest('no uncaught errors', async () => {
  assert.deepEqual(pageErrors, []);
});

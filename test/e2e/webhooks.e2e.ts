// e2e-env: WEBHOOK_ALLOW_PRIVATE=true MQTT_PORT=0
// Webhooks in a real browser: the admin adds a webhook to a local receiver (event checkboxes; the
// signing secret is shown once, with copy), a ticket is opened, the worker delivers it, the receiver
// verifies the signature with the standardwebhooks library, and the delivery log shows it
// delivered. The retention periods are set on their page. At 360 px the webhooks page and its log
// open without sideways scrolling, and so does the retention page.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Webhook as Verifier } from 'standardwebhooks';
import { expectAccessible, launch, screenshot } from './browser.js';
import {
  type Account,
  ensureDemoSetup,
  eventually,
  expectVisible,
  newUserPage,
  openFromNav,
  signIn,
  stepRunner,
  visitInApp,
} from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const TITLE = `Hooked ticket ${Date.now().toString(36)}`;

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
const pageErrors: string[] = [];
const received: Array<{ headers: Record<string, string>; body: string }> = [];
let server: http.Server;
let receiverUrl = '';
const { run, flowTest } = stepRunner(() => page, 180_000);

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('received');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/steward`;
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await new Promise<void>((r) => server.close(() => r()));
});

flowTest('the admin adds a webhook; a new ticket is delivered, signed, and the log shows it', async () => {
  const p = () => page!;
  let secret = '';
  await run('add a webhook and read its secret once', async () => {
    const session = await newUserPage(browser);
    contexts.push(session.context);
    page = session.page;
    session.page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await openFromNav(page, 'webhooks', '/webhooks');
    await p().getByTestId('webhook-new').click();
    await p().getByTestId('webhook-url').fill(receiverUrl);
    // ticket.created is ticked by default; add a status change too.
    await p().getByTestId('webhook-event-ticket.status_changed').click();
    await p().getByTestId('webhook-save').click();
    await expectVisible(p().getByTestId('webhook-secret'), 'the secret is shown');
    secret = (await p().getByTestId('webhook-secret').innerText()).trim();
    assert.match(secret, /^whsec_/);
    await expectAccessible(p(), 'webhook secret');
    await p().getByTestId('webhook-secret-done').click();
    await expectVisible(p().getByTestId('webhooks-list').getByText(receiverUrl), 'the webhook is listed');
  });
  await run('open a ticket: the worker delivers it, signed', async () => {
    const status = await p().evaluate(async (title) => {
      const me = await (await fetch('/api/v1/me')).json();
      const res = await fetch('/api/v1/tickets', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ kind: 'incident', title }),
      });
      return res.status;
    }, TITLE);
    assert.equal(status, 201);
    await eventually(
      async () => received.length,
      (n) => n >= 1,
      'the receiver got the event',
      30_000,
    );
    const payload = new Verifier(secret).verify(received[0].body, received[0].headers) as {
      type: string;
      data: { ticket: { title: string } };
    };
    assert.equal(payload.type, 'ticket.created');
    assert.equal(payload.data.ticket.title, TITLE);
  });
  await run('the delivery log shows it delivered', async () => {
    const row = p().locator('[data-testid^="webhook-"]').filter({ hasText: receiverUrl }).first();
    await row.getByTestId('webhook-log').click();
    const log = p().getByTestId('webhook-deliveries');
    await expectVisible(log, 'the delivery log opens');
    await eventually(
      async () => {
        await p().getByTestId('webhook-deliveries-refresh').click();
        return (await log.getByTestId('delivery-status').first().innerText()).trim();
      },
      (s) => s.toLowerCase() === 'delivered',
      'the delivery is shown delivered',
      30_000,
    );
    await expectVisible(log.getByText('received'), 'the receiver’s answer is logged');
    await expectAccessible(p(), 'webhook delivery log');
    await screenshot(p(), 'webhook-deliveries');
    await p().keyboard.press('Escape');
  });
  assert.deepEqual(pageErrors, []);
});

flowTest('the admin sets the log retention periods', async () => {
  await run('retention periods saved and shown again', async () => {
    const session = await newUserPage(browser);
    contexts.push(session.context);
    page = session.page;
    await signIn(page, ADMIN);
    await openFromNav(page, 'retention', '/settings/retention');
    const field = page.getByTestId('retention-webhookRetentionDays');
    await expectVisible(field, 'the retention form is shown');
    assert.equal(await field.inputValue(), '30 days');
    await field.fill('14');
    await page.getByTestId('save-retention').click();
    await expectVisible(page.getByText('Retention periods saved'), 'the save is confirmed');
    await page.reload();
    await eventually(
      () => page!.getByTestId('retention-webhookRetentionDays').inputValue(),
      (v) => v === '14 days',
      'the saved period is shown after a reload',
    );
    await expectAccessible(page, 'retention settings');
  });
});

flowTest('on a phone the webhooks page and its log open without sideways scrolling', async () => {
  await run('webhooks at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    await signIn(page, ADMIN);
    await openFromNav(page, 'webhooks', '/webhooks');
    await expectVisible(page.getByTestId('webhooks-list'), 'the webhooks are listed');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the webhooks page does not scroll sideways at 360 px (${overflow} px)`);
    await page.getByTestId('webhook-log').first().click();
    await expectVisible(page.getByTestId('webhook-deliveries'), 'the log opens full screen');
    await screenshot(page, 'webhooks-phone');
    await page.keyboard.press('Escape');
    await visitInApp(page, '/settings/retention');
    await expectVisible(page.getByTestId('retention-form'), 'the retention form is shown');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 1, `the retention page does not scroll sideways at 360 px (${wide} px)`);
  });
});

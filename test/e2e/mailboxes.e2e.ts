// The e-mail channel in a real browser: the admin adds a webhook mailbox and copies its secret URL;
// a raw message posted to it opens a ticket and a reply by mail lands on it as a comment showing
// from / to / cc and a link to the original; the mailbox list and the mail settings at 360 px.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch } from './browser.js';
import { type Account, expectVisible, newUserPage, setupViaApi, signIn, stepRunner, visitInApp } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };

let browser: Browser;
let context: BrowserContext | undefined;
let page: Page | undefined;
let webhookPath = '';
let ticketNumber = 0;
const { run, flowTest } = stepRunner(() => page);

before(async () => {
  browser = await launch();
  await setupViaApi(COMPANY, ADMIN);
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

function raw(opts: { messageId: string; subject: string; inReplyTo?: string; body: string }): string {
  return [
    'From: Carl Customer <carl@client.example>',
    'To: help@acme.example',
    'Cc: Dana Deputy <dana@client.example>',
    `Subject: ${opts.subject}`,
    `Message-ID: <${opts.messageId}>`,
    ...(opts.inReplyTo ? [`In-Reply-To: <${opts.inReplyTo}>`, `References: <${opts.inReplyTo}>`] : []),
    'Date: Tue, 01 Dec 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.body,
    '',
  ].join('\r\n');
}

async function deliver(message: string): Promise<{ result: string; ticketNumber?: number }> {
  const res = await fetch(`${BASE_URL}${webhookPath}`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: message });
  assert.equal(res.status, 202, `the webhook takes the message: ${res.status}`);
  return (await res.json()) as { result: string; ticketNumber?: number };
}

flowTest('the admin adds a webhook mailbox; mail posted to it becomes a ticket with its e-mail details', async () => {
  const p = await openAs(ADMIN, 1366, 800);
  await run('add a webhook mailbox', async () => {
    await visitInApp(p, '/mailboxes');
    await p.getByTestId('new-mailbox').click();
    const form = p.getByTestId('mailbox-form');
    await form.getByText('Webhook', { exact: true }).click();
    await form.getByTestId('mailbox-name').fill('Web forms');
    await form.getByTestId('mailbox-address').fill('help@acme.example');
    await form.getByTestId('save-mailbox').click();
    const url = p.getByTestId('mailbox-webhook-url');
    await expectVisible(url, 'the secret URL is shown after saving');
    const text = (await url.textContent())?.trim() ?? '';
    webhookPath = new URL(text).pathname;
    assert.match(webhookPath, /^\/api\/v1\/inbound\/[A-Za-z0-9_-]{20,}$/);
    await expectAccessible(p, 'mail-webhook-url-1366');
    await p.getByTestId('mailbox-webhook-done').click();
    await expectVisible(p.getByTestId('mailbox-row').filter({ hasText: 'Web forms' }), 'the mailbox is listed');
    await expectAccessible(p, 'mailboxes-1366');
  });

  await run('a message and a reply by mail', async () => {
    const first = `${randomBytes(6).toString('hex')}@client.example`;
    const created = await deliver(raw({ messageId: first, subject: 'Heating in room 12 is off', body: 'It is 14 degrees in room 12.' }));
    assert.equal(created.result, 'created');
    ticketNumber = created.ticketNumber ?? 0;
    assert.ok(ticketNumber > 0, 'a ticket number');
    const again = await deliver(raw({ messageId: first, subject: 'Heating in room 12 is off', body: 'It is 14 degrees in room 12.' }));
    assert.equal(again.result, 'duplicate', 'the same message again is a duplicate');
    const reply = await deliver(
      raw({
        messageId: `${randomBytes(6).toString('hex')}@client.example`,
        inReplyTo: first,
        subject: `Re: Heating in room 12 is off`,
        body: 'Now it is 12 degrees.',
      }),
    );
    assert.equal(reply.result, 'appended');
    assert.equal(reply.ticketNumber, ticketNumber, 'the reply lands on the same ticket');
    const away = await deliver(
      raw({ messageId: `${randomBytes(6).toString('hex')}@client.example`, subject: 'Out of office', body: 'Back on Monday.' }).replace(
        'MIME-Version: 1.0',
        'Auto-Submitted: auto-replied\r\nMIME-Version: 1.0',
      ),
    );
    assert.deepEqual([away.result, (away as { reason?: string }).reason], ['ignored', 'auto_reply']);
  });

  await run('the mailbox lists what it received, the ignored message with its reason', async () => {
    await p.getByTestId('mailbox-row').filter({ hasText: 'Web forms' }).getByTestId('mailbox-messages-open').click();
    const list = p.getByTestId('mailbox-messages');
    await expectVisible(
      list.getByTestId('mailbox-message').filter({ hasText: 'Heating in room 12 is off' }).first(),
      'the first message is listed',
    );
    await p.getByTestId('mailbox-messages-filter').getByText('Ignored', { exact: true }).click();
    const ignored = list.getByTestId('mailbox-message').filter({ hasText: 'Out of office' });
    await expectVisible(ignored, 'the auto-reply is listed under Ignored');
    assert.match((await ignored.getByTestId('mailbox-message-reason').textContent()) ?? '', /auto-reply/);
    await expectAccessible(p, 'mailbox-messages-1366');
    await p.keyboard.press('Escape');
  });

  await run('the ticket shows the comment came by e-mail', async () => {
    await visitInApp(p, `/tickets/${ticketNumber}`);
    const comment = p.getByTestId('comment').filter({ hasText: 'Now it is 12 degrees' });
    await expectVisible(comment, 'the reply is a comment');
    await expectVisible(comment.getByTestId('mail-headers'), 'the comment says it came by e-mail');
    assert.match((await comment.getByTestId('mail-from').textContent()) ?? '', /carl@client\.example/);
    assert.match((await comment.getByTestId('mail-cc').textContent()) ?? '', /dana@client\.example/);
    const href = await comment.getByTestId('mail-original').getAttribute('href');
    assert.ok(href, 'a link to the original message');
    const original = await p.evaluate(async (u) => (await fetch(u, { credentials: 'same-origin' })).text(), href);
    assert.match(original, /Now it is 12 degrees/, 'the link opens the raw message');
    await expectAccessible(p, 'mail-ticket-1366');
  });
});

flowTest('the mailbox list and the mail settings on a phone', async () => {
  const p = await openAs(ADMIN, 360, 740);
  await run('mailboxes at 360 px', async () => {
    await visitInApp(p, '/mailboxes');
    await expectVisible(p.getByTestId('mailbox-row').filter({ hasText: 'Web forms' }), 'the webhook mailbox is listed');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
    await expectAccessible(p, 'mailboxes-360');
  });
  await run('mail settings at 360 px', async () => {
    await visitInApp(p, '/settings/mail');
    const days = p.getByTestId('mail-reopen-days');
    await days.fill('30');
    await p.getByTestId('save-mail-settings').click();
    await expectVisible(p.getByText('Mail settings saved'), 'the settings are saved');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
    await expectAccessible(p, 'mail-settings-360');
    const saved = await p.evaluate(async () => (await fetch('/api/v1/settings/mail', { credentials: 'same-origin' })).json());
    assert.equal((saved.settings ?? saved).reopenDays, 30);
  });
});

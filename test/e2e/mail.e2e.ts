// The e-mail channel in a real browser: a message posted to the demo's webhook mailbox makes a
// ticket from an external contact; a reply-all from a colleague in Cc lands on it by its headers.
// On the ticket page (desktop, then a 360-px phone) the ticket says it came by mail and from whom,
// the reply shows from, to and cc and links to the original message, which downloads as sent.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, expectVisible, newUserPage, signIn, stepRunner } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const tag = randomBytes(4).toString('hex');
const FIRST_ID = `first-${tag}@partner.example.org`;
const REPLY_ID = `reply-${tag}@partner.example.org`;

let browser: Browser;
let context: BrowserContext | undefined;
let page: Page | undefined;
let cookie = '';
let webhookPath = '';
let ticketNumber = 0;
const { run, flowTest } = stepRunner(() => page);

const raw = (lines: string[]) => lines.join('\r\n');

async function post(body: string): Promise<{ status: number; data: { result: string; ticketNumber?: number } }> {
  const res = await fetch(`${BASE_URL}${webhookPath}`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body });
  return { status: res.status, data: (await res.json()) as { result: string; ticketNumber?: number } };
}

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: ADMIN.email, password: ADMIN.password }),
  });
  assert.equal(login.status, 200, 'the admin signs in through the API');
  cookie = (login.headers.getSetCookie?.() ?? [login.headers.get('set-cookie') ?? '']).map((c) => c.split(';')[0]).join('; ');
  const boxes = await fetch(`${BASE_URL}/api/v1/mailboxes`, { headers: { cookie } });
  assert.equal(boxes.status, 200, 'the admin lists the mailboxes');
  const box = ((await boxes.json()) as { items: { type: string; webhookUrl?: string }[] }).items.find((b) => b.type === 'webhook');
  assert.ok(box?.webhookUrl, 'the demo has a webhook mailbox');
  webhookPath = new URL(box.webhookUrl).pathname;
});

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
});

flowTest('a message to the webhook makes a ticket; a reply-all from the Cc lands on it', async () => {
  await run('post the first message', async () => {
    const first = await post(
      raw([
        'From: Rita Moreno <rita.moreno@partner.example.org>',
        'To: help@acme.example',
        'Cc: Sam Colleague <sam@partner.example.org>',
        `Subject: Forklift charger in bay 4 sparks ${tag}`,
        `Message-ID: <${FIRST_ID}>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The charger in bay 4 sparks when a forklift is plugged in. We stopped using it.',
        '',
      ]),
    );
    assert.equal(first.status, 202, 'the webhook accepts the message');
    assert.equal(first.data.result, 'created');
    ticketNumber = first.data.ticketNumber ?? 0;
    assert.ok(ticketNumber > 0, 'a ticket number is answered');
  });
  await run('post the reply-all from the colleague in Cc', async () => {
    const reply = await post(
      raw([
        'From: Sam Colleague <sam@partner.example.org>',
        'To: help@acme.example',
        'Cc: Rita Moreno <rita.moreno@partner.example.org>',
        `Subject: Re: Forklift charger in bay 4 sparks ${tag}`,
        `Message-ID: <${REPLY_ID}>`,
        `In-Reply-To: <${FIRST_ID}>`,
        `References: <${FIRST_ID}>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/alternative; boundary="ALT"',
        '',
        '--ALT',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'It also smells burnt.',
        '',
        '--ALT',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>It also <strong>smells burnt</strong>.</p><blockquote type="cite">The charger in bay 4 sparks</blockquote>',
        '--ALT--',
        '',
      ]),
    );
    assert.equal(reply.status, 202);
    assert.deepEqual(reply.data, { result: 'appended', ticketNumber });
  });
});

async function checkTicketPage(p: Page, label: string) {
  await p.goto(`/tickets/${ticketNumber}`);
  const origin = p.getByTestId('ticket-origin-mail');
  await expectVisible(origin, 'the ticket says it came by e-mail');
  await expectVisible(origin.getByTestId('mail-contact'), 'the external contact is named');
  assert.match((await origin.getByTestId('mail-contact').textContent()) ?? '', /Rita Moreno \(rita\.moreno@partner\.example\.org\)/);
  const comment = p
    .getByTestId('comment')
    .filter({ has: p.getByTestId('mail-headers') })
    .first();
  await expectVisible(comment, 'the reply by mail is in the conversation');
  assert.match((await comment.getByTestId('mail-from').textContent()) ?? '', /sam@partner\.example\.org/);
  assert.match((await comment.getByTestId('mail-cc').textContent()) ?? '', /rita\.moreno@partner\.example\.org/);
  const body = (await comment.getByTestId('comment-body-html').innerHTML()) ?? '';
  assert.match(body, /<strong>smells burnt<\/strong>/, 'the HTML reply shows as rich text');
  assert.doesNotMatch(body, /sparks/, 'the quoted earlier message is stripped');
  const href = await comment.getByTestId('mail-original').getAttribute('href');
  assert.match(href ?? '', /^\/api\/v1\/mail\/messages\/\d+\/raw$/, 'the original is one click away');
  await expectAccessible(p, `mail-ticket-${label}`);
  await screenshot(p, `mail-ticket-${label}`);
  return href as string;
}

flowTest('the ticket page on a desktop shows the mail origin and the reply headers', async () => {
  await run('sign in and open the ticket', async () => {
    const session = await newUserPage(browser);
    context = session.context;
    page = session.page;
    await signIn(page, ADMIN);
    const href = await checkTicketPage(page, 'desktop');
    const original = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    }, href);
    assert.equal(original.status, 200);
    assert.match(original.type ?? '', /message\/rfc822/);
    assert.match(original.text, new RegExp(`Message-ID: <${REPLY_ID}>`), 'the original message is served as received');
    assert.match(original.text, /The charger in bay 4 sparks/, 'with the quoted history kept');
  });
});

flowTest('the same on a 360-px phone, without horizontal scrolling', async () => {
  await run('open the ticket at 360 px', async () => {
    await context?.close();
    const session = await newUserPage(browser, { width: 360, height: 740 });
    context = session.context;
    page = session.page;
    await signIn(page, ADMIN);
    await checkTicketPage(page, '360');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
  });
});

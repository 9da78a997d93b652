// Supply requests in a real browser, on the demo data: as the admin types a part and a quantity the
// form says what is in stock and where, and warns when the quantity is more than that; on the ticket
// the request is fulfilled in part (it stays open for the rest). The form is checked again at 360 px.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch } from './browser.js';
import { type Account, ensureDemoSetup, expectHidden, expectVisible, newUserPage, signIn, stepRunner } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };

let browser: Browser;
let context: BrowserContext | undefined;
let page: Page | undefined;
const { run, flowTest } = stepRunner(() => page);

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
});

after(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
});

async function openAt(width: number, height: number): Promise<Page> {
  await context?.close().catch(() => {});
  const session = await newUserPage(browser, { width, height });
  context = session.context;
  page = session.page;
  await signIn(page, ADMIN);
  return page;
}

/** The demo toner's stock per location, from the API with the page's session. */
async function tonerStock(p: Page): Promise<{ location: string; quantity: number }[]> {
  const list = await p.request.get('/api/v1/parts?q=TON-HP42A');
  assert.equal(list.status(), 200, await list.text());
  const part = ((await list.json()) as { items: { id: string; sku: string }[] }).items.find((i) => i.sku === 'TON-HP42A');
  assert.ok(part, 'the demo has the toner TON-HP42A');
  const res = await p.request.get(`/api/v1/parts/${part.id}`);
  assert.equal(res.status(), 200, await res.text());
  const body = (await res.json()) as { stock: { location: { name: string }; quantity: number }[] };
  return body.stock.filter((s) => s.quantity > 0).map((s) => ({ location: s.location.name, quantity: s.quantity }));
}

/** Picks the demo toner on the first line and types a quantity. */
async function askForToner(p: Page, quantity: number) {
  await p.goto('/supply/new');
  const form = p.getByTestId('supply-form');
  await expectVisible(form, 'the supply form is shown');
  await form.getByLabel('Part 1').first().fill('Toner');
  await p.getByRole('option', { name: /Toner HP 42A black/ }).click();
  await form.getByTestId('supply-quantity').fill(String(quantity));
}

flowTest('the form says what is in stock, where, and when the quantity is more than that', async () => {
  const p = await openAt(1366, 800);
  await run('stock hint as one types', async () => {
    // The demo's stock (other demo seeders, purchasing's receipts, may add to it) read the way the
    // form reads it, so the test checks what the form says rather than a copy of the seed.
    const stock = await tonerStock(p);
    const total = stock.reduce((sum, s) => sum + s.quantity, 0);
    assert.ok(
      stock.some((s) => s.location === 'Storage') && stock.some((s) => s.location === 'IT room'),
      'the demo toner is in two places',
    );
    assert.ok(total > 5, `the demo has more than 5 toners (${total})`);
    await askForToner(p, total + 2);
    const hint = p.getByTestId('supply-stock');
    await expectVisible(hint.filter({ hasText: `Available now: ${total} pcs` }), 'the total in stock is shown');
    const text = (await hint.textContent()) ?? '';
    for (const s of stock) {
      assert.ok(text.includes(`${s.location}: ${s.quantity} pcs`), `the stock at ${s.location} is shown (${text})`);
    }
    await expectVisible(p.getByTestId('supply-short'), 'asking for more than in stock is flagged');
    await expectAccessible(p, 'supply-new-short-1366');
    await p.getByTestId('supply-quantity').fill('5');
    await expectHidden(p.getByTestId('supply-short'), 'the warning goes when the quantity fits');
    await expectAccessible(p, 'supply-new-1366');
  });
  await run('send the request', async () => {
    await p.getByTestId('submit-supply').click();
    await p.waitForURL(/\/tickets\/\d+$/);
  });
});

flowTest('the request is fulfilled in part and stays open for the rest', async () => {
  const p = page as Page;
  await run('issue 3 of 5 from the storage', async () => {
    await p.getByTestId('tab-supply').click();
    const tab = p.getByTestId('supply-tab');
    await expectVisible(tab, 'the supply tab is shown');
    await tab.getByTestId('issue-now').fill('3');
    await tab.getByLabel('Issue from').first().click();
    await p.getByRole('option', { name: /Storage/ }).click();
    await tab.getByTestId('fulfil').click();
    await expectVisible(p.getByText('Part of the request was issued; it stays open for the rest.'), 'a partial fulfilment says so');
    await expectVisible(
      tab.getByTestId('supply-line-row').filter({ hasText: '3 issued · 2 still to issue' }),
      'the line shows what is left',
    );
    await expectVisible(tab.getByTestId('fulfil'), 'the rest can still be fulfilled');
    await expectAccessible(p, 'supply-partial-1366');
  });
});

flowTest('on a 360-px phone the form shows the hint without scrolling sideways', async () => {
  const p = await openAt(360, 740);
  await run('stock hint at 360 px', async () => {
    await askForToner(p, 20);
    await expectVisible(p.getByTestId('supply-short'), 'the warning is shown on a phone');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
    await expectAccessible(p, 'supply-new-360');
  });
});

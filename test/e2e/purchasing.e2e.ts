// Purchasing in a real browser: the admin adds an item to the plan in the quick-add row, drafts it
// into a purchase order, finalises it (number, PDF, vendor mail), receives it, and reads the
// history; then on a 360-px phone the order list filters by status and opens an order.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch, screenshot } from './browser.js';
import {
  type Account,
  ensureDemoSetup,
  eventually,
  expectVisible,
  newUserPage,
  openFromNav,
  signIn,
  stepRunner,
  waitForPath,
} from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const ITEM = `Ergonomic chair ${Date.now().toString(36)}`;

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
let orderPath = '';
let orderNumber = '';
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => page, 180_000);

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

flowTest('the admin plans an item, drafts, finalises and receives its purchase order', async () => {
  await run('open the purchase plan', async () => {
    const session = await newUserPage(browser);
    contexts.push(session.context);
    page = session.page;
    session.page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await openFromNav(page, 'plannedItems', '/planned-items');
    await expectVisible(page.getByTestId('planned-table'), 'the plan table is shown');
  });
  const p = () => page!;
  await run('quick-add an item in the last row', async () => {
    const row = p().getByTestId('planned-add-row');
    await row.getByTestId('planned-description').fill(ITEM);
    await row.getByTestId('planned-quantity').fill('3');
    await row.getByTestId('planned-price').fill('249.5');
    await row.getByTestId('planned-vendor').click();
    await p().getByRole('option', { name: 'Office Supply Co', exact: true }).click();
    await row.getByTestId('planned-add').click();
    await expectVisible(p().getByTestId('planned-row').filter({ hasText: ITEM }), 'the new item is on the plan');
    await expectVisible(p().getByTestId('planned-row').filter({ hasText: ITEM }).getByText('748.50'), 'its line total is shown');
    await expectAccessible(p(), 'purchase plan');
  });
  await run('draft it into a purchase order', async () => {
    await p()
      .getByRole('checkbox', { name: `Select ${ITEM}` })
      .check();
    await p().getByTestId('planned-draft').click();
    await p().getByTestId('draft-buyer').click();
    await p().getByRole('option', { name: 'Steward Demo Ltd' }).click();
    await p().getByTestId('draft-ship-to').click();
    await p()
      .getByRole('option', { name: /Warehouse receiving/ })
      .click();
    await p().getByTestId('draft-create').click();
    await p().waitForURL(/\/purchase-orders\/\d+$/);
    orderPath = new URL(p().url()).pathname;
    await expectVisible(p().getByTestId('po-status').getByText('Draft'), 'the order is a draft');
    await expectVisible(p().getByTestId('po-line').filter({ hasText: ITEM }), 'the item is a line of the order');
    // 748.50 + 8.25% tax (61.75) = 810.25
    await expectVisible(p().getByTestId('po-total').getByText('810.25', { exact: false }), 'the total includes the ship-to tax');
  });
  await run('finalise: number, status sent', async () => {
    await p().getByTestId('po-finalize').click();
    await p()
      .getByRole('dialog')
      .getByRole('button', { name: /confirm|finalise/i })
      .click();
    await expectVisible(p().getByTestId('po-status').getByText('Sent'), 'the order is sent');
    orderNumber = (await p().getByTestId('po-number').innerText()).trim();
    assert.match(orderNumber, /^PO-\d{4}-\d{4}$/);
    const pdf = await p().request.get(`${BASE_URL}/api/v1/purchase-orders/${orderPath.split('/').pop()}/pdf`);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    await expectAccessible(p(), 'purchase order');
  });
  await run('receive everything', async () => {
    await p().getByTestId('po-receive').click();
    await p().getByTestId('receive-submit').click();
    await expectVisible(p().getByTestId('po-status').getByText('Received'), 'the order is received');
    await expectVisible(p().getByTestId('line-received').getByText('3'), 'the line shows 3 received');
    await expectVisible(p().getByTestId('po-history').getByText('Goods received'), 'the history shows the receipt');
    await expectVisible(p().getByTestId('po-history').getByText('Finalised'), 'the history shows who finalised');
    await screenshot(p(), 'purchase-order-received');
  });
  assert.deepEqual(pageErrors, []);
});

flowTest('on a phone the order list filters by status and opens an order', async () => {
  await run('open purchase orders at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    await signIn(page, ADMIN);
    await openFromNav(page, 'purchaseOrders', '/purchase-orders');
    await expectVisible(page.getByTestId('po-table'), 'the order list is shown');
  });
  await run('filter by received and open the order', async () => {
    const p = page!;
    await p.getByTestId('po-status-filter').getByText('Received', { exact: true }).click();
    await waitForPath(p, '/purchase-orders', /status=received/);
    // textContent, not innerText: a badge's text is upper-cased by CSS, and one scrolled out of a
    // narrow table's view is still in the list.
    await eventually(
      async () => (await p.getByTestId('po-status').allTextContents()).map((s) => s.trim()),
      (texts) => texts.length > 0 && texts.every((s) => s === 'Received'),
      'only received orders are listed',
    );
    await p.getByRole('link', { name: orderNumber }).click();
    await waitForPath(p, orderPath);
    await expectVisible(p.getByTestId('po-number').getByText(orderNumber), 'the order opens on the phone');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page does not scroll sideways at 360 px (${overflow} px)`);
    await screenshot(p, 'purchase-order-phone');
  });
});

// e2e-env: MQTT_PORT=0
// The meter readings' retention in a real browser (issue 16): the admin finds it on the Retention
// page beside the log periods, sees what it means (the cut-off date, the nightly job, whole monthly
// partitions), saves a new number of days (shown again after a reload) and an out-of-range value is
// refused without saving. At 360 px the card fits without sideways scrolling.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
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

flowTest('the admin sets how long meter readings are kept and sees what it means', async () => {
  await run('meter retention saved, explained and shown again', async () => {
    const session = await newUserPage(browser);
    contexts.push(session.context);
    page = session.page;
    session.page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await openFromNav(page, 'retention', '/settings/retention');
    const field = page.getByTestId('meter-retention-days');
    await expectVisible(field, 'the meter retention card is shown');
    const before = Number((await field.inputValue()).replace(/\D/g, ''));
    assert.ok(before >= 1, `a current value is shown (${before})`);
    const meaning = page.getByTestId('meter-retention-meaning');
    assert.match(await meaning.innerText(), /deleted/);
    assert.match(await page.getByTestId('meter-retention').innerText(), /file per month/);
    await field.fill('400');
    await expectVisible(page.getByText('About 13 months'), 'the days are shown as months');
    const cutoff = new Date(Date.now() - 400 * 86_400_000).getFullYear();
    assert.match(await meaning.innerText(), new RegExp(String(cutoff)), 'the cut-off date follows the value');
    await page.getByTestId('meter-retention-save').click();
    await expectVisible(page.getByText('Meter retention saved'), 'the save is confirmed');
    await page.reload();
    await eventually(
      () => page!.getByTestId('meter-retention-days').inputValue(),
      (v) => v === '400 days',
      'the saved retention is shown after a reload',
    );
    await expectAccessible(page, 'meter retention');
    // Out of range: refused in the form, nothing saved.
    await page.getByTestId('meter-retention-days').fill('0');
    await page.getByTestId('meter-retention-save').click();
    await expectVisible(page.getByTestId('meter-retention').getByText('Between 1 and 36,500 days'), 'the range is explained');
    await page.reload();
    await eventually(
      () => page!.getByTestId('meter-retention-days').inputValue(),
      (v) => v === '400 days',
      'the refused value was not saved',
    );
    // The log periods' form is still its own (its save does not touch the meter retention).
    await expectVisible(page.getByTestId('retention-form'), 'the log retention form is beside it');
    await screenshot(page, 'meter-retention');
  });
  assert.deepEqual(pageErrors, []);
});

flowTest('on a phone the meter retention card fits without sideways scrolling', async () => {
  await run('meter retention at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    await signIn(page, ADMIN);
    await visitInApp(page, '/settings/retention');
    const card = page.getByTestId('meter-retention');
    await expectVisible(card, 'the meter retention card is shown');
    await card.scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the retention page does not scroll sideways at 360 px (${overflow} px)`);
    const box = await card.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 361, `the card fits the screen (${JSON.stringify(box)})`);
    await screenshot(page, 'meter-retention-phone');
  });
});

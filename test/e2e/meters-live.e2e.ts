// e2e-env: MQTT_PORT=18847
// Live meters in a real browser: with the meter page open, a device publishes over MQTT (MQTT.js,
// embedded broker) and the value pushed over /api/v1/live appears on the page without a reload;
// dragging across the live chart shows the selection's min/max/avg; the analytics page charts the
// meter live too; the asset page shows the meter's latest value, live. At 360 px the meter and
// analytics pages open without sideways scrolling.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, expectVisible, newUserPage, openFromNav, signIn, stepRunner, visitInApp } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const DEVICE = `Live gateway ${Date.now().toString(36)}`;

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
let client: MqttClient | null = null;
let topic = '';
let meterPath = '';
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => page, 180_000);

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
});

after(async () => {
  await client?.endAsync(true);
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

const publish = async (values: number[]) => {
  for (const v of values) await client?.publishAsync(topic, JSON.stringify({ v }), { qos: 1 });
};

flowTest('a reading published over MQTT arrives live on the meter page and the analytics page', async () => {
  const p = () => page!;
  await run('add a device and a meter', async () => {
    const session = await newUserPage(browser);
    contexts.push(session.context);
    page = session.page;
    session.page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await openFromNav(page, 'devices', '/devices');
    await p().getByTestId('device-new').click();
    await p().getByTestId('device-name').fill(DEVICE);
    await p().getByTestId('device-save').click();
    await expectVisible(p().getByTestId('mqtt-password'), 'the password is shown');
    const creds = {
      url: await p().getByTestId('mqtt-url').innerText(),
      username: await p().getByTestId('mqtt-username').innerText(),
      password: await p().getByTestId('mqtt-password').innerText(),
    };
    await p().getByRole('button', { name: 'Done' }).click();
    const row = p().locator('[data-testid^="device-"]').filter({ hasText: DEVICE }).first();
    await row.getByTestId('meter-new').click();
    await p().getByTestId('meter-key').fill('power');
    await p().getByTestId('meter-name').fill('Live power');
    await p().getByTestId('meter-unit').fill('kW');
    await p().getByTestId('meter-save').click();
    await expectVisible(row.getByTestId('meter-link-power'), 'the meter is listed');
    client = await mqtt.connectAsync(creds.url, { username: creds.username, password: creds.password, reconnectPeriod: 0 });
    topic = `steward/${creds.username}/power`;
    await publish([10, 11]);
    await row.getByTestId('meter-link-power').click();
    await p().waitForURL(/\/meters\/\d+$/);
    meterPath = new URL(p().url()).pathname;
  });
  await run('the live value arrives without a reload', async () => {
    await expectVisible(p().getByTestId('meter-live-chart').locator('canvas'), 'the live chart is drawn');
    // The socket subscribes once the page is up; publish until a pushed value shows.
    const value = p().getByTestId('meter-live-value');
    let seen = '';
    for (let i = 0; i < 20 && !seen.includes('42.5'); i++) {
      await publish([42.5]);
      await p().waitForTimeout(500);
      seen = await value.innerText();
    }
    assert.equal(seen.trim(), '42.5 kW');
  });
  await run('dragging across the chart shows the selection statistics', async () => {
    await publish([20, 30]);
    await p().waitForTimeout(600);
    const over = p().getByTestId('meter-live-chart').locator('.u-over');
    const box = await over.boundingBox();
    assert.ok(box, 'the chart has a plotting area');
    await p().mouse.move(box.x + 2, box.y + box.height / 2);
    await p().mouse.down();
    await p().mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
    await p().mouse.up();
    await expectVisible(p().getByTestId('meter-selection'), 'the selection statistics show');
    assert.equal((await p().getByTestId('sel-max').innerText()).trim(), '42.5');
    // The drag starts a pixel inside the plot: the very first point may fall outside the selection.
    assert.ok(['10', '11'].includes((await p().getByTestId('sel-min').innerText()).trim()), 'the selection minimum');
    const href = await p().getByTestId('meter-range-csv').getAttribute('href');
    assert.ok(href?.includes('format=csv'), 'the range CSV link is offered');
    const csv = await (await p().request.get(new URL(href ?? '', p().url()).toString())).text();
    assert.ok(csv.startsWith('ts,v,unit'), 'the range downloads as CSV');
    await screenshot(p(), 'meter-live');
  });
  await run('the analytics page charts the meter live', async () => {
    const id = meterPath.split('/').pop();
    await visitInApp(p(), `/meters/analytics?meters=${id}`);
    const card = p().getByTestId(`analytics-meter-${id}`);
    await expectVisible(card.locator('canvas'), 'the small chart is drawn');
    let seen = '';
    for (let i = 0; i < 20 && !seen.includes('77'); i++) {
      await publish([77]);
      await p().waitForTimeout(500);
      seen = await card.getByTestId('analytics-value').innerText();
    }
    assert.equal(seen.trim(), '77 kW');
    await screenshot(p(), 'meter-analytics');
  });
  await run('the asset page shows the meter with its latest value, live', async () => {
    const id = meterPath.split('/').pop();
    const made = await p().evaluate(async (meterId) => {
      const me = await (await fetch('/api/v1/me')).json();
      const cats = await (await fetch('/api/v1/picklists/categories')).json();
      const headers = { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken };
      const asset = await (await fetch('/api/v1/assets', { method: 'POST', headers, body: JSON.stringify({ name: 'Live pump P-9', categoryId: cats.items[0].id }) })).json();
      const meter = await fetch(`/api/v1/meters/${meterId}`, { method: 'PATCH', headers, body: JSON.stringify({ assetId: asset.id }) });
      return { assetId: asset.id as string, status: meter.status };
    }, id);
    assert.equal(made.status, 200, 'the meter is put on the asset');
    await visitInApp(p(), `/assets/${made.assetId}`);
    const card = p().getByTestId(`asset-meter-${id}`);
    await expectVisible(card, 'the asset lists its meter');
    assert.equal((await card.getByTestId('asset-meter-value').innerText()).trim(), '77', 'the latest value shows at once');
    let seen = '';
    for (let i = 0; i < 20 && !seen.includes('63.5'); i++) {
      await publish([63.5]);
      await p().waitForTimeout(500);
      seen = await card.getByTestId('asset-meter-value').innerText();
    }
    assert.equal(seen.trim(), '63.5', 'a new reading arrives without a reload');
  });
  assert.deepEqual(pageErrors, []);
});

flowTest('on a phone the live meter page and the analytics page fit', async () => {
  await run('meter and analytics at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    await signIn(page, ADMIN);
    await visitInApp(page, meterPath);
    await expectVisible(page.getByTestId('meter-live-chart').locator('canvas'), 'the live chart fits the phone');
    let overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the meter page does not scroll sideways at 360 px (${overflow} px)`);
    await openFromNav(page, 'meterAnalytics', '/meters/analytics');
    await expectVisible(page.getByTestId('analytics-choose'), 'the meters can be chosen');
    overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the analytics page does not scroll sideways at 360 px (${overflow} px)`);
    await screenshot(page, 'meter-analytics-phone');
  });
});

// e2e-env: MQTT_PORT=18831
// IoT meters in a real browser: the admin adds a device (the MQTT credentials are shown once), adds
// a meter, a real MQTT.js client publishes readings with those credentials to the embedded broker,
// and the meter page shows the last value, min/max/avg and a uPlot chart, and offers the CSV. At
// 360 px the devices list and the meter page open without sideways scrolling.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, expectVisible, newUserPage, openFromNav, signIn, stepRunner, visitInApp } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const DEVICE = `Boiler gateway ${Date.now().toString(36)}`;

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
let meterPath = '';
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

flowTest('the admin adds a device and a meter; readings published over MQTT show on the meter page', async () => {
  const p = () => page!;
  let creds = { url: '', username: '', password: '' };
  await run('add a device and read its credentials once', async () => {
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
    creds = {
      url: await p().getByTestId('mqtt-url').innerText(),
      username: await p().getByTestId('mqtt-username').innerText(),
      password: await p().getByTestId('mqtt-password').innerText(),
    };
    assert.match(creds.username, /^dev_/);
    await expectAccessible(p(), 'device credentials');
    await p().getByRole('button', { name: 'Done' }).click();
  });
  await run('add a meter to the device', async () => {
    const row = p().locator('[data-testid^="device-"]').filter({ hasText: DEVICE }).first();
    await row.getByTestId('meter-new').click();
    await p().getByTestId('meter-key').fill('temp');
    await p().getByTestId('meter-name').fill('Supply temperature');
    await p().getByTestId('meter-unit').fill('°C');
    await p().getByTestId('meter-save').click();
    await expectVisible(row.getByTestId('meter-link-temp'), 'the meter is listed under its device');
  });
  await run('a device publishes readings with MQTT.js (QoS 1)', async () => {
    const client = await mqtt.connectAsync(creds.url, { username: creds.username, password: creds.password, reconnectPeriod: 0 });
    const now = Date.now();
    for (let i = 0; i < 20; i++) {
      await client.publishAsync(
        `steward/${creds.username}/temp`,
        JSON.stringify({ v: 60 + i, ts: new Date(now - (20 - i) * 60_000).toISOString() }),
        { qos: 1 },
      );
    }
    await client.endAsync();
  });
  await run('the meter page shows the last value, min/max/avg and the chart', async () => {
    await p().reload();
    const row = p().locator('[data-testid^="device-"]').filter({ hasText: DEVICE }).first();
    await row.getByTestId('meter-link-temp').click();
    await p().waitForURL(/\/meters\/\d+$/);
    meterPath = new URL(p().url()).pathname;
    await expectVisible(p().getByTestId('meter-chart').locator('canvas'), 'the uPlot chart is drawn');
    assert.equal((await p().getByTestId('meter-last').innerText()).trim(), '79 °C');
    assert.equal((await p().getByTestId('meter-min').innerText()).trim(), '60');
    assert.equal((await p().getByTestId('meter-max').innerText()).trim(), '79');
    assert.equal((await p().getByTestId('meter-avg').innerText()).trim(), '69.5');
    const href = await p().getByTestId('meter-csv').getAttribute('href');
    const csv = await (await p().request.get(new URL(href ?? '', p().url()).toString())).text();
    assert.equal(csv.trim().split('\n').length, 21, 'the CSV has a header and 20 readings');
    await p().getByTestId('meter-range').getByText('7 days').click();
    await expectVisible(p().getByText('per minute'), 'the 7-day range reads the minute rollup');
    await expectVisible(p().getByTestId('meter-chart').locator('canvas'), 'the chart is redrawn from the rollup');
    await screenshot(p(), 'meter-page');
  });
  assert.deepEqual(pageErrors, []);
});

flowTest('on a phone the devices list and the meter page open without sideways scrolling', async () => {
  await run('devices and meter at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    await signIn(page, ADMIN);
    await openFromNav(page, 'devices', '/devices');
    await expectVisible(page.getByTestId('devices-list'), 'the devices are listed');
    let overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the devices page does not scroll sideways at 360 px (${overflow} px)`);
    await visitInApp(page, meterPath);
    await expectVisible(page.getByTestId('meter-chart').locator('canvas'), 'the chart fits the phone');
    overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the meter page does not scroll sideways at 360 px (${overflow} px)`);
    await screenshot(page, 'meter-page-phone');
  });
});

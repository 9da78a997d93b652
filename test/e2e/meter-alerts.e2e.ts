// e2e-env: MQTT_PORT=18832
// Thresholds and meter alerts in a real browser: the admin adds a device and a meter, adds a
// threshold on the meter page, a real MQTT.js client publishes a reading past it, the threshold
// turns "Alerting", the navigation shows an open-alert badge and the alerts page lists the alert;
// the admin acknowledges it with a note and turns on reminders; a reading back within limits resolves it. At 360 px the meter page with its thresholds and the
// alerts page open without sideways scrolling.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, expectHidden, expectVisible, newUserPage, openFromNav, signIn, stepRunner, visitInApp } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const DEVICE = `Pump gateway ${Date.now().toString(36)}`;

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

async function publish(creds: { url: string; username: string; password: string }, v: number) {
  const client = await mqtt.connectAsync(creds.url, { username: creds.username, password: creds.password, reconnectPeriod: 0 });
  await client.publishAsync(`steward/${creds.username}/pressure`, JSON.stringify({ v }), { qos: 1 });
  await client.endAsync();
}

flowTest('a threshold added on the meter page raises an alert when a reading crosses it, and resolves it', async () => {
  const p = () => page!;
  let creds = { url: '', username: '', password: '' };
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
    creds = {
      url: await p().getByTestId('mqtt-url').innerText(),
      username: await p().getByTestId('mqtt-username').innerText(),
      password: await p().getByTestId('mqtt-password').innerText(),
    };
    await p().getByRole('button', { name: 'Done' }).click();
    const row = p().locator('[data-testid^="device-"]').filter({ hasText: DEVICE }).first();
    await row.getByTestId('meter-new').click();
    await p().getByTestId('meter-key').fill('pressure');
    await p().getByTestId('meter-name').fill('Outlet pressure');
    await p().getByTestId('meter-unit').fill('bar');
    await p().getByTestId('meter-save').click();
    await row.getByTestId('meter-link-pressure').click();
    await p().waitForURL(/\/meters\/\d+$/);
    meterPath = new URL(p().url()).pathname;
  });
  await run('add a threshold: above 6 bar raises an alert', async () => {
    await p().getByTestId('threshold-add').click();
    await p().getByTestId('threshold-value').fill('6');
    await p().getByTestId('threshold-for').fill('0');
    await p().getByTestId('threshold-save').click();
    await expectVisible(p().getByText('Within limits'), 'the new threshold is within limits');
    await expectAccessible(p(), 'meter thresholds');
  });
  await run('a reading past it turns the threshold to alerting and the alert shows with a badge', async () => {
    await publish(creds, 7.5);
    await expectVisible(p().getByText('Alerting'), 'the threshold is alerting', 20_000);
    await p().reload();
    await expectVisible(p().getByTestId('meter-alerts-badge'), 'the navigation shows the open alerts');
    await openFromNav(p(), 'meterAlerts', '/meter-alerts');
    const alert = p().locator('[data-testid^="meter-alert-"]').filter({ hasText: 'Outlet pressure' }).first();
    await expectVisible(alert, 'the open alert is listed');
    assert.match(await alert.innerText(), /Above 6 bar|above 6 bar/);
    await expectAccessible(p(), 'meter alerts');
    await screenshot(p(), 'meter-alerts');
  });
  await run('the admin acknowledges the alert with a note: who and the note show, and it leaves the unacknowledged filter', async () => {
    const alert = p().locator('[data-testid^="meter-alert-"]').filter({ hasText: 'Outlet pressure' }).first();
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await p().getByTestId('meter-alert-note').fill('Checking the relief valve');
    await p().getByTestId('meter-alert-ack-save').click();
    await expectVisible(alert.getByText(/Acknowledged by Ada Admin .*: Checking the relief valve/), 'the acknowledgement is shown');
    assert.equal(await alert.getByRole('button', { name: 'Acknowledge' }).count(), 0, 'no second acknowledge button');
    await expectHidden(p().getByRole('dialog'), 'the dialog closes');
    // The box follows the address (?acknowledged=false), which the router updates a moment after the click.
    await p().getByTestId('meter-alerts-unacknowledged').click();
    await p().waitForURL(/acknowledged=false/);
    await expectVisible(p().getByTestId('meter-alerts-unacknowledged').and(p().locator(':checked')), 'the box is ticked');
    await expectVisible(p().getByTestId('meter-alerts-status'), 'the filters stay');
    await expectHidden(
      p().locator('[data-testid^="meter-alert-"]').filter({ hasText: 'Outlet pressure' }).first(),
      'the acknowledged alert is not among those nobody acknowledged',
    );
  });
  await run('the admin turns on reminders every 4 h for alerts nobody acknowledged', async () => {
    const hours = p().getByTestId('meter-alert-reminder-hours');
    await hours.fill('4');
    await p().getByTestId('meter-alert-reminder-save').click();
    await expectVisible(p().getByText('Reminder period saved'), 'the period is saved');
    assert.match(await p().getByTestId('meter-alert-reminder-meaning').innerText(), /every 4 h/);
    const settings = await (await p().request.get(`${BASE_URL}/api/v1/settings`)).json();
    assert.equal(settings.settings.meterAlertReminderHours, 4);
  });
  await run('a reading back within limits resolves the alert', async () => {
    await publish(creds, 4.2);
    await visitInApp(p(), '/meter-alerts?status=closed');
    await expectVisible(
      p().locator('[data-testid^="meter-alert-"]').filter({ hasText: 'Outlet pressure' }).getByText('Resolved'),
      'the alert is resolved',
      20_000,
    );
  });
  assert.deepEqual(pageErrors, []);
});

flowTest('the asset page lists the demo meter plan with its next mark; a threshold plan is added from the form', async () => {
  const p = () => page!;
  await run('the conveyor’s plans: the 500 h plan and a new threshold plan', async () => {
    const assets = await (await p().request.get(`${BASE_URL}/api/v1/assets?limit=1&q=Conveyor`)).json();
    await visitInApp(p(), `/assets/${assets.items[0].id as string}`);
    await p().getByTestId('tab-asset-maintenance').click();
    const demo = p().locator('[data-testid^="plan-"]').filter({ hasText: 'Conveyor line 3 — 500 h service' }).first();
    await expectVisible(demo.getByText('Every 500 units of the meter'), 'the meter trigger is shown');
    await expectVisible(demo.getByText('when the meter reads 1500'), 'the next mark is shown');
    await p().getByTestId('add-plan').click();
    await p().getByTestId('plan-title').fill('Motor too hot');
    await p().getByTestId('plan-trigger-type').getByText('Threshold').click();
    await p().getByTestId('plan-meter').click();
    await p()
      .getByRole('option', { name: /Motor temperature/ })
      .click();
    await p().getByTestId('plan-threshold-value').fill('90');
    await p().getByTestId('plan-save').click();
    const card = p().locator('[data-testid^="plan-"]').filter({ hasText: 'Motor too hot' }).first();
    await expectVisible(card.getByText('Meter > 90 for 300 s'), 'the threshold plan is on the asset');
    await expectAccessible(p(), 'asset plans with meter triggers');
  });
});

flowTest('on a phone the meter page with its thresholds and the alerts page do not scroll sideways', async () => {
  await run('meter page and alerts at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    await signIn(page, ADMIN);
    await visitInApp(page, meterPath);
    await expectVisible(page.getByTestId('meter-thresholds'), 'the thresholds are shown');
    await page.getByTestId('threshold-add').click();
    await expectVisible(page.getByTestId('threshold-form'), 'the form opens');
    let overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the meter page does not scroll sideways at 360 px (${overflow} px)`);
    await screenshot(page, 'meter-thresholds-phone');
    await openFromNav(page, 'meterAlerts', '/meter-alerts');
    await page.getByTestId('meter-alerts-status').getByText('All').click();
    await expectVisible(page.locator('[data-testid^="meter-alert-"]'), 'alerts are listed');
    overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the alerts page does not scroll sideways at 360 px (${overflow} px)`);
    await screenshot(page, 'meter-alerts-phone');
  });
});

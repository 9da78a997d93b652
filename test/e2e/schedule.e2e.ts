// The schedule in a real browser: the admin filters the calendar to one technician, selects a free
// range to book a shift, drags it to another day (saved with its version), drags it onto the
// technician's weekday shift (refused: it snaps back and the message names the conflict), approves
// the demo's time-off request; then on a 360-px phone the calendar is a day view that moves on with
// the arrow, without sideways scrolling.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE_URL, expectAccessible, launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, eventually, expectVisible, newUserPage, openFromNav, signIn, stepRunner } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const TECH = 'Omar Haddad';

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => page, 180_000);

/** This week's day `offset` (0 = Monday) as YYYY-MM-DD in UTC (the demo company's and admin's zone). */
function weekDay(offset: number): string {
  const now = new Date();
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
  return new Date(monday.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** The screen point of a day column at a slot time of the time grid. */
async function slotPoint(p: Page, date: string, time: string, dy = 4): Promise<{ x: number; y: number }> {
  const col = p.locator(`td.fc-timegrid-col[data-date="${date}"]`);
  const slot = p.locator(`td.fc-timegrid-slot-lane[data-time="${time}"]`);
  const c = await col.boundingBox();
  const s = await slot.boundingBox();
  assert.ok(c && s, `the grid shows ${date} at ${time}`);
  return { x: c.x + c.width / 2, y: s.y + dy };
}

async function drag(p: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await p.mouse.move(from.x, from.y);
  await p.mouse.down();
  await p.mouse.move(from.x + 2, from.y + 2, { steps: 2 });
  await p.mouse.move(to.x, to.y, { steps: 12 });
  await p.mouse.up();
}

const entriesOn = async (p: Page, date: string) =>
  (await p.request.get(`${BASE_URL}/api/v1/schedule?from=${date}&to=${date}`)).json() as Promise<{
    entries: Array<{ id: string; technicianName: string; kind: string; startsAt: string; version: number }>;
  }>;

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

flowTest('the admin books, moves and is refused an overlap on the calendar, and approves time off', async () => {
  const saturday = weekDay(5);
  const sunday = weekDay(6);
  const friday = weekDay(4);
  let entryId = '';
  await run('open the schedule filtered to one technician', async () => {
    const session = await newUserPage(browser, { width: 1366, height: 900 });
    contexts.push(session.context);
    page = session.page;
    session.page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await openFromNav(page, 'schedule', '/schedule');
    await expectVisible(page.locator('.fc-timeGridWeek-view'), 'the week view is shown');
    await page.getByTestId('filter-technician').click();
    await page.getByRole('option', { name: TECH, exact: true }).click();
    await expectVisible(
      page.locator(`td.fc-timegrid-col[data-date="${friday}"] .fc-timegrid-event`).first(),
      `${TECH}'s Friday shift is shown`,
    );
  });
  const p = () => page!;
  await run('select a free Saturday range and book a shift', async () => {
    // One scroll so that 09:00–12:00 is on screen; points are read after it.
    await p()
      .locator('td.fc-timegrid-slot-lane[data-time="08:00:00"]')
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await drag(p(), await slotPoint(p(), saturday, '10:00:00'), await slotPoint(p(), saturday, '11:30:00'));
    const dialog = p().getByTestId('entry-dialog');
    await expectVisible(p().getByTestId('entry-save'), 'the new-entry dialog opens');
    await p().getByTestId('entry-save').click();
    await expectVisible(p().locator(`td.fc-timegrid-col[data-date="${saturday}"] .fc-timegrid-event`), 'the shift is on Saturday');
    assert.equal(await dialog.count(), 0);
    const [e] = (await entriesOn(p(), saturday)).entries.filter((x) => x.technicianName === TECH);
    assert.ok(e, 'the shift was saved');
    assert.equal(e.startsAt, `${saturday}T10:00:00.000Z`);
    entryId = e.id;
  });
  await run('drag it to Sunday: saved with a new version', async () => {
    const ev = p().locator(`td.fc-timegrid-col[data-date="${saturday}"] .fc-timegrid-event`);
    const box = await ev.boundingBox();
    assert.ok(box);
    const target = await slotPoint(p(), sunday, '10:00:00', 10);
    await drag(p(), { x: box.x + box.width / 2, y: box.y + 10 }, target);
    await eventually(
      async () => (await entriesOn(p(), sunday)).entries.find((x) => x.id === entryId),
      (e) => Boolean(e && e.version === 2 && e.startsAt === `${sunday}T10:00:00.000Z`),
      'the entry moved to Sunday 10:00',
    );
    await expectVisible(p().locator(`td.fc-timegrid-col[data-date="${sunday}"] .fc-timegrid-event`), 'it shows on Sunday');
  });
  await run('drag it onto the Friday shift: refused, snaps back, the conflict is named', async () => {
    const ev = p().locator(`td.fc-timegrid-col[data-date="${sunday}"] .fc-timegrid-event`);
    const box = await ev.boundingBox();
    assert.ok(box);
    await drag(p(), { x: box.x + box.width / 2, y: box.y + 10 }, await slotPoint(p(), friday, '10:00:00', 10));
    await expectVisible(p().getByText(/is already booked for a shift \(#\d+\)/), 'the refusal names the conflicting shift');
    await expectVisible(p().locator(`td.fc-timegrid-col[data-date="${sunday}"] .fc-timegrid-event`), 'the entry is back on Sunday');
    const e = (await entriesOn(p(), sunday)).entries.find((x) => x.id === entryId);
    assert.equal(e?.version, 2, 'nothing changed on the server');
    await screenshot(p(), 'schedule-overlap-refused');
  });
  await run('technician lanes: select in the lane books that technician', async () => {
    const techs = (await (await p().request.get(`${BASE_URL}/api/v1/schedule/technicians`)).json()) as {
      items: Array<{ id: string; name: string }>;
    };
    const omar = techs.items.find((x) => x.name === TECH)!;
    await p().getByTestId('schedule-mode').getByText('Technician lanes').click();
    const lane = p().getByTestId(`lane-${omar.id}`);
    await expectVisible(lane, 'the filtered technician has a lane');
    await expectVisible(lane.getByText(TECH), 'the lane is headed with the name');
    const today = new Date().toISOString().slice(0, 10);
    await lane
      .locator('td.fc-timegrid-slot-lane[data-time="17:00:00"]')
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const col = await lane.locator(`td.fc-timegrid-col[data-date="${today}"]`).boundingBox();
    const a = await lane.locator('td.fc-timegrid-slot-lane[data-time="17:00:00"]').boundingBox();
    const b = await lane.locator('td.fc-timegrid-slot-lane[data-time="18:00:00"]').boundingBox();
    assert.ok(col && a && b);
    await drag(p(), { x: col.x + col.width / 2, y: a.y + 4 }, { x: col.x + col.width / 2, y: b.y + 4 });
    await expectVisible(p().getByTestId('entry-save'), 'the dialog opens for the lane');
    await p().getByTestId('entry-save').click();
    await eventually(
      async () =>
        (await entriesOn(p(), today)).entries.filter((x) => x.technicianName === TECH && x.startsAt === `${today}T17:00:00.000Z`).length,
      (n) => n === 1,
      'the lane booked its technician at 17:00',
    );
    await screenshot(p(), 'schedule-lanes');
  });
  await run('approve the waiting time-off request', async () => {
    await openFromNav(p(), 'timeOff', '/time-off');
    const approve = p().locator('[data-testid^="approve-"]').first();
    await expectVisible(approve, 'a request waits for a decision');
    const id = (await approve.getAttribute('data-testid'))!.replace('approve-', '');
    await approve.click();
    await expectVisible(p().getByTestId(`time-off-${id}`).getByText('Approved'), 'the request is approved');
    // The refusal's notice from the calendar closes by itself first (axe reads it mid-fade otherwise).
    await eventually(
      () => p().locator('.mantine-Notification-root').count(),
      (n) => n === 0,
      'the notice closes',
      20_000,
    );
    await expectAccessible(p(), 'time off');
  });
  assert.deepEqual(pageErrors, []);
});

flowTest('on a 360-px phone the schedule is a day view with arrows', async () => {
  await run('open the schedule at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    await signIn(page, ADMIN);
    await openFromNav(page, 'schedule', '/schedule');
    await expectVisible(page.locator('.fc-timeGridDay-view'), 'the day view is shown');
  });
  await run('the next arrow moves one day on; nothing scrolls sideways', async () => {
    const p = page!;
    const before = await p.locator('.fc-toolbar-title').innerText();
    await p.locator('.fc-next-button').click();
    await eventually(
      () => p.locator('.fc-toolbar-title').innerText(),
      (t) => t !== before,
      'the title shows the next day',
    );
    assert.equal(await p.locator('td.fc-timegrid-col[data-date]').count(), 1, 'one day column');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 361, `no sideways scrolling at 360 px (${width} px wide)`);
    await screenshot(p, 'schedule-phone-day');
  });
});

// Importing a Snipe-IT export in a real browser: the admin uploads a Windows-1252 file with CR line
// endings, the dry run says how it was read, who will get which asset and whom it did not find, and
// lists the status word Steward does not know; the admin maps it to a status, checks again and
// imports. Then, on a 360-px phone, the same file's dry run shows the remembered mapping. axe runs on
// the dry-run report at both widths.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch, screenshot } from './browser.js';
import { type Account, ensureDemoSetup, expectHidden, expectVisible, newUserPage, signIn, stepRunner } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const RUN = Date.now().toString(36).toUpperCase();

// The shape of a Snipe-IT asset export, written as Snipe-IT and Excel on Windows write it.
const HEADER = [
  'Company',
  'Name',
  'Asset Tag',
  'Category',
  'Supplier',
  'Manufacturer',
  'Location',
  'Order Number',
  'Model',
  'Model Notes',
  'Model Number',
  'Asset Notes',
  'Purchase Date',
  'Purchase Cost',
  'Status',
  'Checkout Type',
  'Checked Out To: Username',
  'Checked Out To: First Name',
  'Checked Out To: Last Name',
  'Checked Out To: Email',
  'Checked Out To: Location',
  'Asset EOL Date',
];
const ROWS = [
  [
    'Acme',
    'Lena’s docking station',
    `DK-${RUN}-1`,
    'Docks',
    'Bürobedarf Müller',
    'Lenovo',
    'HQ',
    `PO-${RUN}`,
    'ThinkPad Dock',
    '',
    '40AY0090EU',
    'Desk 12',
    '2024-03-15',
    '189.00',
    'Deployed',
    'user',
    '',
    'Lena',
    'Fischer',
    '',
    'HQ',
    '',
  ],
  [
    'Acme',
    'Spare dock',
    `DK-${RUN}-2`,
    'Docks',
    'Bürobedarf Müller',
    'Lenovo',
    'HQ',
    `PO-${RUN}`,
    'ThinkPad Dock',
    '',
    '40AY0090EU',
    '',
    '2024-03-15',
    '189.00',
    'Awaiting RMA',
    'user',
    'pnobody',
    'Pat',
    'Nobody',
    '',
    'HQ',
    '',
  ],
];
const cell = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = [HEADER, ...ROWS].map((r) => r.map(cell).join(',')).join('\r');
const CP1252: Record<string, number> = { '’': 0x92 };
const bytes = Buffer.from([...`${csv}\r`].map((c) => CP1252[c] ?? c.charCodeAt(0)));
const FILE = path.join(mkdtempSync(path.join(tmpdir(), 'steward-import-')), 'snipeit-export.csv');
writeFileSync(FILE, bytes);

let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page | undefined;
const pageErrors: string[] = [];
const { run, flowTest } = stepRunner(() => page);

before(async () => {
  browser = await launch();
  await ensureDemoSetup(COMPANY, ADMIN);
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

async function dryRun(p: Page) {
  await p.goto('/assets/import');
  await p.locator('input[type="file"]').setInputFiles(FILE);
  await expectVisible(p.getByTestId('import-mapping'), 'the column mapping is shown');
  await expectVisible(p.getByTestId('map-Supplier'), 'the Supplier column is listed');
  await p.getByTestId('import-dry-run').click();
  await expectVisible(p.getByTestId('import-preview'), 'the dry-run report is shown');
}

flowTest('the admin maps an unknown status word and imports a Snipe-IT export', async () => {
  await run('upload and check', async () => {
    const session = await newUserPage(browser, { width: 1366, height: 768 });
    contexts.push(session.context);
    page = session.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await dryRun(page);
    const p = page;
    assert.match((await p.getByTestId('import-summary').textContent()) ?? '', /Windows-1252/);
    await expectVisible(p.getByTestId('import-checked-out'), 'it says one asset will be checked out');
    await expectVisible(p.getByTestId('import-users-not-found').getByText(/Pat Nobody/), 'the person not found is named');
    await expectVisible(p.getByTestId('import-value-status-Awaiting RMA'), 'the unknown status word is listed');
    await expectVisible(p.getByTestId('import-value-vendors-Bürobedarf Müller'), 'the new supplier is listed, read as Windows-1252');
    await expectVisible(p.getByTestId('import-errors'), 'its row is an error until it is mapped');
    await expectAccessible(p, 'import-dry-run');
    await screenshot(p, 'asset-import-1366');
  });
  const p = page as Page;
  await run('map it to a status, check again and import', async () => {
    await p.getByRole('combobox', { name: 'What "Awaiting RMA" becomes' }).click();
    await p.getByRole('option', { name: 'In repair', exact: true }).click();
    await p.getByTestId('import-recheck').click();
    await expectHidden(p.getByTestId('import-errors'), 'no row has an error any more');
    await p.getByTestId('import-run').click();
    await expectVisible(p.getByTestId('import-result'), 'the import is done');
    assert.match((await p.getByTestId('import-result').textContent()) ?? '', /2 created/);
  });
  await run('the asset is checked out to Lena Fischer and keeps its supplier and order number', async () => {
    await p.goto(`/assets?q=DK-${RUN}-1`);
    await p.getByText('Lena’s docking station').first().click();
    await expectVisible(p.getByTestId('assigned-to').getByText('Lena Fischer'), 'checked out to the person the row names');
    await expectVisible(p.getByText('Bürobedarf Müller').first(), 'the supplier is the vendor');
    await expectVisible(p.getByText(`PO-${RUN}`).first(), 'the order number is kept');
  });
});

flowTest('on a phone the next dry run shows the remembered mapping', async () => {
  await run('dry run at 360 px', async () => {
    const session = await newUserPage(browser, { width: 360, height: 740 });
    contexts.push(session.context);
    page = session.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, ADMIN);
    await dryRun(page);
    const select = page.getByRole('combobox', { name: 'What "Awaiting RMA" becomes' });
    await expectVisible(select, 'the status word is still listed');
    assert.equal(await select.inputValue(), 'In repair', 'with the mapping remembered from the last import');
    await expectHidden(page.getByTestId('import-errors'), 'so no row has an error');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling (${width})`);
    await expectAccessible(page, 'import-dry-run-360');
    await screenshot(page, 'asset-import-360');
  });
  assert.deepEqual(pageErrors, [], 'no uncaught errors on the pages');
});

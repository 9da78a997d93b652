// Files on parts and vendors in a real browser: on a new part's page the admin adds a photo, sees it
// listed, downloads it and removes it again; a vendor's files open from the vendor list. The part
// page is checked again at 360 px (no sideways scrolling, the files still there).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch } from './browser.js';
import { type Account, expectHidden, expectVisible, newUserPage, setupViaApi, signIn, stepRunner } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.4\n% filter manual\n');

let browser: Browser;
let context: BrowserContext | undefined;
let page: Page | undefined;
let partPath = '';
const { run, flowTest } = stepRunner(() => page);

before(async () => {
  browser = await launch();
  await setupViaApi(COMPANY, ADMIN);
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

flowTest('a part gets a photo and a manual, downloads them and removes one', async () => {
  const p = await openAt(1366, 800);
  await run('create a part', async () => {
    await p.goto('/parts');
    await p.getByTestId('new-part').click();
    const form = p.getByTestId('part-form');
    await form.getByTestId('part-sku').fill('FLT-G4');
    await form.getByTestId('part-name').fill('Air filter G4');
    await form.getByTestId('save-part').click();
    await p.waitForURL(/\/parts\/\d+$/);
    partPath = new URL(p.url()).pathname;
  });
  await run('upload a photo and a manual', async () => {
    const files = p.getByTestId('inventory-files');
    await expectVisible(files.getByText('No files yet.'), 'a new part has no files');
    await p.getByTestId('inventory-file-input').setInputFiles([
      { name: 'filter.png', mimeType: 'image/png', buffer: PNG },
      { name: 'manual.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await expectVisible(files.getByTestId('inventory-file').filter({ hasText: 'manual.pdf' }), 'the manual is listed');
    await expectVisible(files.getByTestId('inventory-file').filter({ hasText: 'filter.png' }), 'the photo is listed');
    await expectAccessible(p, 'part-files-1366');
  });
  await run('download the photo', async () => {
    const href = await p.getByTestId('inventory-file-link').filter({ hasText: 'filter.png' }).getAttribute('href');
    assert.ok(href, 'the file has a download link');
    const got = await p.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), size: (await res.arrayBuffer()).byteLength };
    }, href);
    assert.deepEqual(got, { status: 200, type: 'image/png', size: PNG.length });
  });
  await run('remove the photo', async () => {
    await p.getByRole('button', { name: 'Remove filter.png' }).click();
    const dialog = p.getByRole('dialog');
    await expectVisible(dialog.getByText('filter.png will be removed for everyone.', { exact: false }), 'the removal is confirmed first');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expectHidden(p.getByTestId('inventory-file').filter({ hasText: 'filter.png' }), 'the photo is gone');
    await expectVisible(p.getByTestId('inventory-file').filter({ hasText: 'manual.pdf' }), 'the manual stays');
  });
});

flowTest('a vendor’s files open from the vendor list', async () => {
  const p = page as Page;
  await run('create a vendor and add a price list', async () => {
    await p.goto('/vendors');
    await p.getByTestId('new-vendor').click();
    await p.getByTestId('vendor-form').getByTestId('vendor-name').fill('AirCare Filters');
    await p.getByTestId('save-vendor').click();
    const row = p.getByTestId('vendor-row').filter({ hasText: 'AirCare Filters' });
    await expectVisible(row, 'the vendor is listed');
    await row.getByTestId('vendor-files').click();
    const dialog = p.getByRole('dialog', { name: 'Files of AirCare Filters' });
    await expectVisible(dialog.getByText('No files yet.'), 'the vendor has no files yet');
    await dialog.getByTestId('inventory-file-input').setInputFiles({ name: 'prices.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expectVisible(dialog.getByTestId('inventory-file').filter({ hasText: 'prices.pdf' }), 'the price list is listed');
    await expectAccessible(p, 'vendor-files-1366');
  });
});

flowTest('on a 360-px phone the part page shows its files without scrolling sideways', async () => {
  const p = await openAt(360, 740);
  await run('part files at 360 px', async () => {
    await p.goto(partPath);
    await expectVisible(p.getByTestId('inventory-file').filter({ hasText: 'manual.pdf' }), 'the manual is listed on a phone');
    await expectVisible(p.getByRole('button', { name: 'Add files' }), 'files can be added on a phone');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
    await expectAccessible(p, 'part-files-360');
  });
});

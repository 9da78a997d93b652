// Documents in a real browser: the admin adds a link document and a file (dropped on the drop zone),
// finds them by search and by category, opens the file, edits and deletes one; the asset page shows
// the documents linked to it and links another. At 360 px the list and the upload work without
// scrolling sideways.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch } from './browser.js';
import { type Account, expectHidden, expectVisible, newUserPage, setupViaApi, signIn, stepRunner } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const PDF = Buffer.from('%PDF-1.4\n% boiler manual\n');

let browser: Browser;
let context: BrowserContext | undefined;
let page: Page | undefined;
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

/** Drops a file on the drop zone the way a browser does (a DataTransfer with the file). */
async function dropFile(p: Page, name: string, mimeType: string, content: Buffer) {
  const transfer = await p.evaluateHandle(
    ({ name, mimeType, bytes }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
      return dt;
    },
    { name, mimeType, bytes: [...content] },
  );
  await p.getByTestId('document-dropzone').dispatchEvent('drop', { dataTransfer: transfer });
}

flowTest('documents: a link and a dropped file, search, category filter, edit and delete', async () => {
  const p = await openAt(1366, 800);
  await run('add a link document in the Policies category', async () => {
    await p.goto('/documents');
    await expectVisible(p.getByText('No documents yet.'), 'the list starts empty');
    await p.getByTestId('new-document').click();
    const form = p.getByTestId('document-form');
    await form.getByText('Link', { exact: true }).click();
    await form.getByLabel('Title').fill('Travel policy');
    await form.getByLabel('Category').click();
    await p.getByRole('option', { name: 'Policies' }).click();
    await form.getByLabel('Link (URL)').fill('https://intranet.example.com/travel');
    await form.getByRole('button', { name: 'Save' }).click();
    await expectVisible(p.getByTestId('document-row').filter({ hasText: 'Travel policy' }), 'the link is listed');
  });
  await run('drop a manual on the drop zone', async () => {
    await p.getByTestId('new-document').click();
    await dropFile(p, 'Boiler manual.pdf', 'application/pdf', PDF);
    const form = p.getByTestId('document-form');
    await expectVisible(form.getByText('Chosen: Boiler manual.pdf'), 'the dropped file is shown');
    await form.getByLabel('Category').click();
    await p.getByRole('option', { name: 'Manuals' }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    const row = p.getByTestId('document-row').filter({ hasText: 'Boiler manual.pdf' });
    await expectVisible(row, 'the file is listed under its file name');
    await expectAccessible(p, 'documents-1366');
    const href = await row.getByTestId('document-link').getAttribute('href');
    assert.ok(href, 'the file has a link');
    const got = await p.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), size: (await res.arrayBuffer()).byteLength };
    }, href);
    assert.deepEqual(got, { status: 200, type: 'application/pdf', size: PDF.length });
  });
  await run('search and filter by category', async () => {
    await p.getByRole('searchbox', { name: 'Search' }).fill('boiler');
    await expectHidden(p.getByTestId('document-row').filter({ hasText: 'Travel policy' }), 'search hides the policy');
    await expectVisible(p.getByTestId('document-row').filter({ hasText: 'Boiler manual.pdf' }), 'search finds the manual by file name');
    await p.getByRole('searchbox', { name: 'Search' }).fill('');
    await p.getByTestId('document-category-filter').click();
    await p.getByRole('option', { name: 'Policies' }).click();
    await expectHidden(p.getByTestId('document-row').filter({ hasText: 'Boiler manual.pdf' }), 'the category filter hides the manual');
    await expectVisible(p.getByTestId('document-row').filter({ hasText: 'Travel policy' }), 'the policy stays');
    await p.getByTestId('document-category-filter').locator('..').getByRole('button').last().click().catch(() => {});
  });
  await run('edit and delete the link', async () => {
    await p.goto('/documents');
    await p.getByRole('button', { name: 'Edit Travel policy' }).click();
    const form = p.getByTestId('document-form');
    await form.getByLabel('Title').fill('Travel and expenses policy');
    await form.getByRole('button', { name: 'Save' }).click();
    await expectVisible(p.getByTestId('document-row').filter({ hasText: 'Travel and expenses policy' }), 'the new title is listed');
    await p.getByRole('button', { name: 'Delete Travel and expenses policy' }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expectHidden(p.getByTestId('document-row').filter({ hasText: 'Travel and expenses policy' }), 'the link is gone');
  });
});

flowTest('the asset page shows its documents and links another', async () => {
  const p = page as Page;
  await run('create an asset and link the manual from its page', async () => {
    const made = await p.evaluate(async () => {
      const me = await (await fetch('/api/v1/me')).json();
      const cats = await (await fetch('/api/v1/picklists/categories')).json();
      const res = await fetch('/api/v1/assets', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ name: 'Boiler 3', categoryId: cats.items[0].id }),
      });
      return res.json();
    });
    assert.ok(made.id, JSON.stringify(made));
    await p.goto(`/assets/${made.id}`);
    const panel = p.getByTestId('linked-documents');
    await expectVisible(panel.getByText('No documents linked.'), 'nothing linked yet');
    await panel.getByTestId('link-document').click();
    await p.getByRole('option', { name: 'Boiler manual.pdf' }).click();
    await expectVisible(panel.getByTestId('linked-document').filter({ hasText: 'Boiler manual.pdf' }), 'the manual is linked');
    await panel.getByRole('button', { name: 'Unlink Boiler manual.pdf' }).click();
    await expectVisible(panel.getByText('No documents linked.'), 'and unlinked again');
  });
});

flowTest('on a 360-px phone the documents list and the upload fit', async () => {
  const p = await openAt(360, 740);
  await run('documents at 360 px', async () => {
    await p.goto('/documents');
    await expectVisible(p.getByTestId('document-row').filter({ hasText: 'Boiler manual.pdf' }), 'the manual is listed on a phone');
    let width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
    await p.getByTestId('new-document').click();
    await p.getByTestId('document-file-input').setInputFiles({ name: 'howto.txt', mimeType: 'text/plain', buffer: Buffer.from('steps') });
    await p.getByTestId('document-form').getByRole('button', { name: 'Save' }).click();
    await expectVisible(p.getByTestId('document-row').filter({ hasText: 'howto.txt' }), 'a file chosen on a phone is uploaded');
    width = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal scrolling at 360 px (width ${width})`);
    await expectAccessible(p, 'documents-360');
  });
});

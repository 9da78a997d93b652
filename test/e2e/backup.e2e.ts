// The company backup in a real browser: the admin opens "Backup" from the navigation, reads what the
// archive holds and what happens to secrets, downloads one with a passphrase (a gzip'd tar with its
// manifest), at desktop width and at 360 px (no sideways scrolling).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expectAccessible, launch } from './browser.js';
import { type Account, expectVisible, newUserPage, openFromNav, setupViaApi, signIn, stepRunner, visitInApp } from './support.js';

const COMPANY = { name: 'Acme Facilities', slug: 'acme' };
const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };

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

async function openAs(width: number, height: number): Promise<Page> {
  await context?.close().catch(() => {});
  const session = await newUserPage(browser, { width, height });
  context = session.context;
  page = session.page;
  await signIn(page, ADMIN);
  return page;
}

async function downloadWithPassphrase(p: Page, label: string) {
  await p.getByTestId('backup-include-secrets').check();
  await p.getByTestId('backup-passphrase').fill('a long passphrase here');
  await p.getByTestId('backup-passphrase-repeat').fill('a long passphrase here');
  await expectAccessible(p, `backup-${label}`);
  const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('backup-download').click()]);
  assert.match(download.suggestedFilename(), /^steward-acme-.*\.tar\.gz$/);
  const file = await download.path();
  const tar = gunzipSync(await readFile(file));
  assert.ok(tar.includes(Buffer.from('manifest.json')), 'the archive holds its manifest');
  assert.ok(tar.includes(Buffer.from('"mode": "encrypted"')), 'secrets are encrypted with the passphrase');
  await expectVisible(p.getByTestId('backup-done'), 'the page says the backup was downloaded');
}

flowTest('the admin downloads a company backup with a passphrase (desktop)', async () => {
  const p = await openAs(1366, 800);
  await run('open Backup from the navigation', async () => {
    await openFromNav(p, 'backup', '/settings/backup');
    await expectVisible(p.getByText('Without a passphrase, secrets'), 'the page explains what happens to secrets');
  });
  await run('a short or repeated-wrong passphrase keeps the button off', async () => {
    await p.getByTestId('backup-include-secrets').check();
    await p.getByTestId('backup-passphrase').fill('short');
    assert.equal(await p.getByTestId('backup-download').isDisabled(), true);
    await p.getByTestId('backup-include-secrets').uncheck();
  });
  await run('download', () => downloadWithPassphrase(p, '1366'));
});

flowTest('the backup page works at 360 px', async () => {
  const p = await openAs(360, 740);
  await run('open the page and download', async () => {
    await visitInApp(p, '/settings/backup');
    await expectVisible(p.getByTestId('backup-download'), 'the download button is shown');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no sideways scrolling at 360 px (overflow ${overflow}px)`);
    await downloadWithPassphrase(p, '360');
  });
});

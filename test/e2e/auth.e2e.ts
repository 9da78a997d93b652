// Signing in and out in a real browser: a wrong password, the sessions page, ending another device's
// session, signing out, and coming back to the page asked for. Its own fresh instance, set up through
// the API (the setup screen is the platform suite's business).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { expectAccessible, launch } from './browser.js';
import {
  type Account,
  eventually,
  expectHidden,
  expectVisible,
  newUserPage,
  setupViaApi,
  signIn,
  stepRunner,
  waitForPath,
} from './support.js';

/** The phone's browser name, so its session can be told apart in the list. */
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) StewardE2E/1.0 Mobile';
const admin: Account = { name: 'Sam Signin', email: 'sam@auth.example', password: 'a-long-password-9' };

let browser: Browser;
let current: Page | undefined;
const pageErrors: string[] = [];
const { run } = stepRunner(() => current);

before(async () => {
  await setupViaApi({ name: 'Auth Test Ltd', slug: 'auth-test' }, admin);
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Rows of the sessions table (the desktop layout; the phone cards are hidden at this width). */
function sessionRows(page: Page): Locator {
  return page.locator('tr[data-testid="session-row"]');
}

test('a wrong password is refused with a message; the right one signs in', { timeout: 60_000 }, async () => {
  const { context, page } = await newUserPage(browser);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  current = page;
  try {
    await run('wrong password', async () => {
      await page.goto('/login');
      const form = page.getByTestId('login-form');
      await expectVisible(form, 'the login form is shown');
      await form.getByLabel('E-mail or username').fill(admin.email);
      await form.getByLabel('Password').fill('not-the-password');
      await form.getByRole('button', { name: 'Sign in' }).click();
      await expectVisible(
        form.getByRole('alert').filter({ hasText: 'Wrong login or password' }),
        'a wrong password shows "Wrong login or password"',
      );
      assert.equal(new URL(page.url()).pathname, '/login', 'a wrong password stays on the login page');
      await expectAccessible(page, 'login-error');
    });

    await run('right password', async () => {
      await form(page).getByLabel('Password').fill(admin.password);
      await form(page).getByRole('button', { name: 'Sign in' }).click();
      await waitForPath(page, '/');
      await expectVisible(page.getByRole('heading', { name: `Welcome, ${admin.name}` }), 'the dashboard opens');
    });
  } finally {
    await context.close();
  }
});

function form(page: Page): Locator {
  return page.getByTestId('login-form');
}

test('the sessions page lists this session; ending another device signs that one out', { timeout: 60_000 }, async () => {
  const laptop = await newUserPage(browser);
  const phone = await newUserPage(browser, { width: 390, height: 844, userAgent: PHONE_UA });
  laptop.page.on('pageerror', (e) => pageErrors.push(`laptop: ${e.message}`));
  phone.page.on('pageerror', (e) => pageErrors.push(`phone: ${e.message}`));
  try {
    await run('sign in on two devices', async () => {
      current = laptop.page;
      await signIn(laptop.page, admin);
      current = phone.page;
      await signIn(phone.page, admin);
    });

    current = laptop.page;
    const page = current;
    await run('sessions list', async () => {
      await page.getByTestId('nav-sessions').click();
      await waitForPath(page, '/sessions');
      await expectVisible(sessionRows(page), 'the sessions table has rows');
      const mine = sessionRows(page).and(page.locator('[data-current]'));
      await expectVisible(mine.getByText('This device', { exact: true }), 'the current session is marked "This device"');
      assert.equal(await mine.count(), 1, 'exactly one session is the current one');
      await eventually(
        () => sessionRows(page).count(),
        (n) => n >= 2,
        'both signed-in devices are listed',
      );
      await expectAccessible(page, 'sessions');
    });

    await run('end the other session', async () => {
      const before = await sessionRows(page).count();
      const other = sessionRows(page).filter({ hasText: PHONE_UA });
      await expectVisible(other, "the phone's session is listed with its browser name");
      await other.getByRole('button', { name: 'End' }).click();
      const dialog = page.getByRole('dialog');
      await expectVisible(dialog, 'ending a session asks for confirmation');
      await dialog.getByRole('button', { name: 'End', exact: true }).click();
      await expectHidden(dialog, 'the confirmation closes');
      await eventually(
        () => sessionRows(page).count(),
        (n) => n === before - 1,
        `the ended session leaves the list (${before} before)`,
      );
    });

    await run('the ended device is signed out', async () => {
      current = phone.page;
      await phone.page.goto('/profile');
      await waitForPath(phone.page, '/login', /next=%2Fprofile/);
      await expectVisible(form(phone.page), 'the device whose session was ended sees the login form');
    });
  } finally {
    await laptop.context.close();
    await phone.context.close();
  }
});

test('signing out returns to the login page; signing in again goes back to the page asked for', { timeout: 60_000 }, async () => {
  const { context, page } = await newUserPage(browser);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  current = page;
  try {
    await run('sign out', async () => {
      await signIn(page, admin);
      await page.getByTestId('user-menu').click();
      await page.getByTestId('logout').click();
      await waitForPath(page, '/login');
      await expectVisible(form(page), 'signing out shows the login form');
      const me = await page.request.get('/api/v1/me');
      assert.equal(me.status(), 401, 'after signing out the server no longer knows the session');
    });

    await run('signed-in pages need a session', async () => {
      await page.goto('/sessions');
      await waitForPath(page, '/login', /next=%2Fsessions/);
      await form(page).getByLabel('E-mail or username').fill(admin.email);
      await form(page).getByLabel('Password').fill(admin.password);
      await form(page).getByRole('button', { name: 'Sign in' }).click();
      await waitForPath(page, '/sessions');
      await expectVisible(sessionRows(page), 'after signing in, the page asked for (sessions) opens');
    });
  } finally {
    await context.close();
  }
});

test('no uncaught errors in the pages', () => {
  assert.deepEqual(pageErrors, [], 'the pages threw no uncaught exceptions');
});

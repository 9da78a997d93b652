// The platform flow in a real browser, on a fresh instance: setup → login → custom role → invite a
// user → open the invitation from the outbox → set a password → log in as that user → switch theme;
// axe must find no serious or critical violations on each page. Finally a phone-width check, and
// the compressed JavaScript of a first load up to the dashboard.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { PERMISSIONS } from '../../src/shared/permissions/catalogue.js';
import { BASE_URL, expectAccessible, launch } from './browser.js';
import {
  type Account,
  eventually,
  expectHidden,
  expectVisible,
  htmlTheme,
  isOnScreen,
  navNames,
  newUserPage,
  openFromNav,
  signIn,
  stepRunner,
  waitForPath,
} from './support.js';

const company = { name: 'Acme Facilities', slug: 'acme' };
const admin: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const invitee: Account = { name: 'Hugo Heat', email: 'hugo@acme.example', password: 'warm-and-cosy-42' };
const role = { name: 'HVAC Specialist', level: 40, permissions: ['tickets.create', 'tickets.comment'] as const };
/** Pages only for people with users/roles/settings/audit permissions: the new role has none. */
const ADMIN_NAV = ['users', 'roles', 'departments', 'outbox', 'audit', 'companies'];

let browser: Browser;
let adminPage: Page | undefined;
let inviteePage: Page | undefined;
let current: Page | undefined;
let invitationUrl = '';
const pageErrors: string[] = [];
// Each test skips once an earlier one failed: they build on each other.
const { flow, run, flowTest } = stepRunner(() => current, 90_000);

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

flowTest('first visit shows setup; setup leads to login with the e-mail filled in; admin signs in', async () => {
  const session = await newUserPage(browser);
  session.page.on('pageerror', (e) => pageErrors.push(`admin: ${e.message}`));
  adminPage = current = session.page;
  const page = adminPage;

  await run('open setup', async () => {
    await page.goto('/');
    await waitForPath(page, '/setup');
    await expectVisible(page.getByTestId('setup-form'), 'the setup form is shown on a fresh instance');
    await expectAccessible(page, 'setup');
  });

  await run('fill in setup', async () => {
    const form = page.getByTestId('setup-form');
    await form.getByLabel('Company name').fill(company.name);
    const slug = form.getByLabel('Short name (slug)');
    assert.equal(await slug.inputValue(), 'acme-facilities', 'the slug is derived from the company name');
    await slug.fill(company.slug);
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(admin.name);
    await form.getByLabel('E-mail').fill(admin.email);
    await form.getByLabel('Password').fill(admin.password);
    await form.getByLabel('Add demo data').check();
    assert.ok(await form.getByLabel('Add demo data').isChecked(), 'the demo data box is ticked');
    await form.getByRole('button', { name: 'Create company' }).click();
    await waitForPath(page, '/login', /email=/);
  });

  await run('login page after setup', async () => {
    const form = page.getByTestId('login-form');
    await expectVisible(form, 'setup ends on the login form');
    assert.equal(await form.getByLabel('E-mail or username').inputValue(), admin.email, 'the login form has the admin e-mail filled in');
    await expectAccessible(page, 'login');
  });

  await run('admin signs in', async () => {
    await signIn(page, admin, { open: false });
    await expectVisible(page.getByText(`${company.name} · your role: Admin`), 'the dashboard names the company and the Admin role');
    const nav = await navNames(page);
    for (const name of ['users', 'roles', 'outbox', 'audit']) {
      assert.ok(nav.includes(name), `the admin sees "${name}" in the navigation (saw ${nav.join(', ')})`);
    }
    await expectAccessible(page, 'dashboard');
  });
});

flowTest('admin creates the custom role "HVAC Specialist"', async () => {
  current = adminPage as Page;
  const page = current;

  await run('roles list', async () => {
    await openFromNav(page, 'roles', '/roles');
    const table = page.getByTestId('roles-table');
    await expectVisible(table, 'the roles table is shown');
    await expectVisible(table.getByRole('link', { name: 'Admin', exact: true }), 'the built-in Admin role is listed');
    await expectAccessible(page, 'roles');
  });

  await run('role form', async () => {
    await page.getByRole('link', { name: 'New role' }).click();
    await waitForPath(page, '/roles/new');
    const form = page.getByTestId('role-form');
    await expectVisible(form, 'the role form is shown');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(role.name);
    await form.getByLabel('Level').fill(String(role.level));
    for (const key of role.permissions) {
      const box = form.getByRole('checkbox', { name: PERMISSIONS[key], exact: true });
      await box.check();
      assert.ok(await box.isChecked(), `the permission ${key} is ticked`);
    }
    await expectAccessible(page, 'role-form');
    await form.getByRole('button', { name: 'Create role' }).click();
    await waitForPath(page, '/roles');
  });

  await run('role listed', async () => {
    const row = page.getByTestId('role-row').filter({ has: page.getByRole('link', { name: role.name, exact: true }) });
    await expectVisible(row, `the new role "${role.name}" is listed`);
    const cells = await row.getByRole('cell').allInnerTexts();
    assert.equal(cells[1]?.trim(), String(role.level), `the role's level is ${role.level}`);
    assert.equal(cells[2]?.trim(), String(role.permissions.length), 'the role has the two permissions ticked');
  });
});

flowTest('admin invites a user with that role', async () => {
  current = adminPage as Page;
  const page = current;

  await run('invite user', async () => {
    await openFromNav(page, 'users', '/users');
    await expectVisible(page.getByTestId('users-table'), 'the users table is shown (demo data)');
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByTestId('user-form');
    await expectVisible(form, 'the user form opens');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(invitee.name);
    await form.getByLabel('E-mail').fill(invitee.email);
    await form.getByLabel('Role').click();
    await page.getByRole('option', { name: `${role.name} (level ${role.level})`, exact: true }).click();
    assert.equal(await form.getByLabel('Password').inputValue(), '', 'no password: the user gets an invitation');
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await expectHidden(page.getByRole('dialog'), 'the user dialog closes after saving');
  });

  await run('user listed as invited', async () => {
    const row = page.getByTestId('user-row').filter({ hasText: invitee.email });
    await expectVisible(row, `${invitee.email} appears in the users list`);
    await expectVisible(row.getByText('Invited', { exact: true }), 'the new user has the status "Invited"');
    await expectVisible(row.getByText(role.name, { exact: true }), `the new user has the role ${role.name}`);
    await expectAccessible(page, 'users');
  });
});

flowTest('the invitation mail is in the outbox and its link opens the invitation page', async () => {
  current = adminPage as Page;
  const page = current;

  await run('outbox', async () => {
    await openFromNav(page, 'outbox', '/outbox');
    const row = page.getByTestId('outbox-row').filter({ hasText: invitee.email });
    await expectVisible(row, `the outbox lists a mail to ${invitee.email}`);
    await expectVisible(row.getByRole('link', { name: `You are invited to ${company.name} on Steward` }), 'the mail is the invitation');
    await expectAccessible(page, 'outbox');
    await row.getByRole('link').first().click();
    await page.waitForURL(/\/outbox\/[^/]+$/);
  });

  await run('outbox message', async () => {
    const message = page.getByTestId('outbox-message');
    await expectVisible(message, 'the mail text is shown');
    const link = message.getByRole('link', { name: /\/invitation\?token=/ });
    await expectVisible(link, 'the mail contains an invitation link');
    invitationUrl = (await link.getAttribute('href')) ?? '';
    assert.ok(invitationUrl.startsWith(`${BASE_URL}/invitation?token=`), `the invitation link points at this instance (${invitationUrl})`);
    await expectAccessible(page, 'outbox-message');
    // Following the link while the admin is still signed in shows the invitation, not the app.
    await link.click();
    await waitForPath(page, '/invitation', /token=/);
    await expectVisible(page.getByRole('heading', { name: 'Accept your invitation' }), 'the invitation page opens');
    await expectVisible(page.getByText(`Account: ${invitee.name} (${invitee.email})`), 'the invitation names the invited person');
    await expectAccessible(page, 'invitation');
  });
});

flowTest('the invited user sets a password and signs in, seeing only what the role allows', async () => {
  const session = await newUserPage(browser);
  session.page.on('pageerror', (e) => pageErrors.push(`invitee: ${e.message}`));
  inviteePage = current = session.page;
  const page = inviteePage;

  await run('accept invitation', async () => {
    await page.goto(invitationUrl);
    await expectVisible(page.getByRole('heading', { name: 'Accept your invitation' }), 'the invitation page opens');
    await page.getByLabel('New password').fill(invitee.password);
    await page.getByLabel('Repeat the password').fill(invitee.password);
    await page.getByRole('button', { name: 'Activate my account' }).click();
    await waitForPath(page, '/login', /email=/);
    const form = page.getByTestId('login-form');
    await expectVisible(form, 'accepting the invitation leads to the login form');
    assert.equal(
      await form.getByLabel('E-mail or username').inputValue(),
      invitee.email,
      "the login form has the invited user's e-mail filled in",
    );
  });

  await run('invitee signs in', async () => {
    await signIn(page, invitee, { open: false });
    await expectVisible(page.getByText(`${company.name} · your role: ${role.name}`), `the dashboard shows the role ${role.name}`);
    await expectVisible(page.getByTestId('nav-profile'), 'the navigation is shown');
    const nav = await navNames(page);
    for (const name of ADMIN_NAV) {
      assert.ok(!nav.includes(name), `"${name}" is not in the navigation of ${role.name} (saw ${nav.join(', ')})`);
    }
    for (const name of ['dashboard', 'profile', 'sessions']) {
      assert.ok(nav.includes(name), `"${name}" is in everyone's navigation (saw ${nav.join(', ')})`);
    }
    await expectAccessible(page, 'dashboard-invitee');
  });

  await run('admin pages refused', async () => {
    await page.goto('/users');
    await expectVisible(
      page.getByRole('alert').filter({ hasText: /permission|not allowed|access/i }),
      `${role.name} gets a "not allowed" notice on /users`,
    );
    await expectHidden(page.getByTestId('users-table'), `${role.name} does not see the users table`, 2_000);
  });

  await run('invitation used up', async () => {
    await page.goto(invitationUrl);
    await expectVisible(
      page.getByRole('alert').filter({ hasText: 'This invitation is invalid, has expired or was already used.' }),
      'a used invitation link cannot be used again',
    );
  });
});

flowTest('the invited user switches theme; it applies at once and is kept on the server', async () => {
  current = inviteePage as Page;
  const page = current;

  const pickTheme = async (label: string, value: string) => {
    const select = page.getByTestId('theme-select');
    await select.click();
    const saved = page.waitForResponse((r) => r.url() === `${BASE_URL}/api/v1/me` && r.request().method() === 'PATCH');
    await page.getByRole('option', { name: label, exact: true }).click();
    const response = await saved;
    assert.ok(response.ok(), `saving the theme "${value}" succeeds (HTTP ${response.status()})`);
    assert.equal(await select.inputValue(), label, `the theme select shows "${label}"`);
  };

  await run('profile in the light theme', async () => {
    await page.goto('/');
    await expectVisible(page.getByTestId('nav-profile'), 'the signed-in frame is shown');
    await openFromNav(page, 'profile', '/profile');
    await expectVisible(page.getByTestId('theme-select'), 'the profile page has a theme select');
    const before = await htmlTheme(page);
    assert.equal(before.scheme, 'light', 'the page starts light (the browser prefers light)');
    await expectAccessible(page, 'profile-light');
  });

  await run('dark theme', async () => {
    await pickTheme('Dark', 'dark');
    await eventually(
      () => htmlTheme(page),
      (v) => v.scheme === 'dark' && v.theme === 'dark',
      'choosing Dark gives <html> the dark colour scheme',
    );
    await expectAccessible(page, 'profile-dark');
  });

  await run('fallout theme', async () => {
    await pickTheme('Fallout (terminal)', 'fallout');
    await eventually(
      () => htmlTheme(page),
      (v) => v.scheme === 'dark' && v.theme === 'fallout',
      'choosing Fallout gives <html> the dark colour scheme and the fallout theme',
    );
    await expectAccessible(page, 'profile-fallout');
  });

  await run('theme kept after reload', async () => {
    // Forget the browser's copy, so what comes back after the reload is the server's.
    await page.evaluate(() => localStorage.removeItem('steward.theme'));
    await page.reload();
    await expectVisible(page.getByTestId('theme-select'), 'the profile page is back after the reload');
    await eventually(
      () => htmlTheme(page),
      (v) => v.scheme === 'dark' && v.theme === 'fallout',
      'after a reload (without local storage) the fallout theme comes back from the profile',
    );
    assert.equal(await page.getByTestId('theme-select').inputValue(), 'Fallout (terminal)', 'the select shows it too');
    const me = (await (await page.request.get('/api/v1/me')).json()) as { user: { theme: string } };
    assert.equal(me.user.theme, 'fallout', 'the server has the theme in the profile');
  });

  await run('invitee theme in a fresh context', async () => {
    const other = await newUserPage(browser);
    try {
      current = other.page;
      await signIn(other.page, invitee);
      await eventually(
        () => htmlTheme(other.page),
        (v) => v.theme === 'fallout',
        'signing in on another device brings the fallout theme along',
      );
    } finally {
      current = page;
      await other.context.close();
    }
  });
});

flowTest('phone width: burger navigation, users list without sideways scrolling of the page', async () => {
  const session = await newUserPage(browser, { width: 360, height: 740 });
  session.page.on('pageerror', (e) => pageErrors.push(`phone: ${e.message}`));
  current = session.page;
  const page = current;
  const usersLink = page.getByTestId('nav-users');

  try {
    await run('phone sign-in', async () => {
      await signIn(page, admin);
      assert.equal(await isOnScreen(usersLink), false, 'the navbar is collapsed (off screen) on a phone');
    });

    await run('phone burger navigation', async () => {
      const burger = page.getByRole('button', { name: 'Open navigation' });
      await expectVisible(burger, 'the burger button is shown on a phone');
      await burger.click();
      // The first entry shows the navigation slid in; Users (Administration) is further down a long list.
      const first = page.getByTestId('nav-dashboard');
      await eventually(() => isOnScreen(first), Boolean, 'the burger slides the navigation in');
      await expectVisible(page.getByRole('button', { name: 'Close navigation' }), 'the burger now offers to close');
      await usersLink.scrollIntoViewIfNeeded();
      await eventually(() => isOnScreen(usersLink), Boolean, 'Users can be scrolled to in the navigation');
      await usersLink.click();
      await waitForPath(page, '/users');
      await eventually(async () => !(await isOnScreen(first)), Boolean, 'the navigation closes after choosing a page');
    });

    await run('phone users list', async () => {
      await expectVisible(page.getByTestId('users-table'), 'the users table is shown on a phone');
      await expectVisible(page.getByTestId('user-row').filter({ hasText: invitee.email }), 'the invited user is in the list on a phone');
      const width = await page.evaluate(() => ({
        document: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
      }));
      assert.ok(
        width.document <= 361 && width.body <= 361,
        `no sideways scrolling of the page at 360 px (document ${width.document} px, body ${width.body} px)`,
      );
      await expectAccessible(page, 'users-phone');
    });
  } finally {
    await session.context.close();
  }
});

test('phone width: the collapsed navigation is out of the Tab order', { timeout: 60_000 }, async (t) => {
  if (flow.failed) {
    t.skip('an earlier step failed');
    return;
  }
  const session = await newUserPage(browser, { width: 360, height: 740 });
  try {
    await signIn(session.page, admin);
    const reached: string[] = [];
    for (let i = 0; i < 8; i++) {
      await session.page.keyboard.press('Tab');
      const id = await session.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? '');
      if (id.startsWith('nav-')) reached.push(id);
    }
    assert.deepEqual(reached, [], 'Tab does not reach links of the collapsed (off-screen) navigation');
  } finally {
    await session.context.close();
  }
});

test('first load: under 300 KB of compressed JavaScript up to the dashboard (SPEC §19)', { timeout: 60_000 }, async (t) => {
  if (flow.failed) {
    t.skip('an earlier step failed');
    return;
  }
  const session = await newUserPage(browser);
  const scripts: Array<Promise<{ url: string; bytes: number; encoding: string | undefined }>> = [];
  session.page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    scripts.push(
      response
        .request()
        .sizes()
        .then((sizes) => ({ url: response.url(), bytes: sizes.responseBodySize, encoding: response.headers()['content-encoding'] })),
    );
  });
  try {
    await signIn(session.page, admin);
    await session.page.waitForLoadState('networkidle');
    const loaded = await Promise.all(scripts);
    const total = loaded.reduce((sum, s) => sum + s.bytes, 0);
    assert.ok(loaded.length > 0, 'scripts were loaded');
    for (const s of loaded)
      if (s.bytes > 1024) assert.ok(s.encoding, `${s.url} is sent compressed (got ${s.bytes} bytes without content-encoding)`);
    assert.ok(
      total < 300 * 1024,
      `first load of JavaScript is ${Math.round(total / 1024)} KB compressed (bar < 300 KB): ${loaded.map((s) => `${s.url.split('/').pop()} ${s.bytes}`).join(', ')}`,
    );
    console.log(`first load: ${loaded.length} scripts, ${Math.round(total / 1024)} KB compressed`);
  } finally {
    await session.context.close();
  }
});

test('no uncaught errors in the pages', () => {
  assert.deepEqual(pageErrors, [], 'the pages threw no uncaught exceptions');
});

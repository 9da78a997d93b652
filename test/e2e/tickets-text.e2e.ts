// Ticket text as people read it, on a desktop and on a 360-px phone: the form states the title
// limit and refuses a longer title instead of cutting it; the description and replies show their
// Markdown rendered (bold, links), an @mention as the person's name linking to them, and nothing
// that a hostile text tried to run. Sets the instance up with demo data when run alone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { BASE_URL, expectAccessible, launch } from './browser.js';
import { type Account, expectVisible, newUserPage, signIn, waitForPath } from './support.js';

const ADMIN: Account = { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' };
const manager: Account = { name: 'Maria Lopez', email: 'maria.lopez', password: ADMIN.password };

let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  browser = await launch();
  const setup = (await (await fetch(`${BASE_URL}/api/v1/setup`)).json()) as { needed: boolean };
  if (setup.needed) {
    const res = await fetch(`${BASE_URL}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company: { name: 'Acme Facilities', slug: 'acme' }, admin: ADMIN, demoData: true }),
    });
    assert.equal(res.status, 201, 'setup with demo data');
  }
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

for (const size of [
  { name: 'desktop', width: 1366, height: 900 },
  { name: 'phone', width: 360, height: 780 },
]) {
  test(`ticket text is limited openly and rendered safely (${size.name})`, { timeout: 120_000 }, async () => {
    const session = await newUserPage(browser, size);
    contexts.push(session.context);
    const page = session.page;
    await signIn(page, manager);
    await page.goto('/tickets/new');
    await waitForPath(page, '/tickets/new');
    const form = page.getByTestId('ticket-form');
    const title = form.getByRole('textbox', { name: 'Title' });

    await title.fill('x'.repeat(301));
    assert.equal((await title.inputValue()).length, 301, 'a long title is not cut while typing');
    await expectVisible(form.getByText('301 of 300 characters'), 'the form states the limit and the count');
    await form.getByTestId('ticket-submit').click();
    await expectVisible(
      form.getByText('The title is longer than 300 characters', { exact: false }),
      'a too-long title is refused with the reason',
    );
    assert.match(page.url(), /\/tickets\/new$/, 'nothing was opened');

    const name = `Rendered text ${size.name} ${Date.now().toString(36)}`;
    await title.fill(name);
    await form
      .getByRole('textbox', { name: 'Description' })
      .fill(
        'The **dock** is broken, see [the manual](https://example.com/dock).\nAsk @lena.fischer.\n\n<img src="x" onerror="window.__xss = 1"><script>window.__xss = 2</script>',
      );
    await form.getByTestId('ticket-submit').click();
    await page.waitForURL(/\/tickets\/\d+$/);

    const description = page.getByTestId('ticket-description');
    await expectVisible(description.locator('strong', { hasText: 'dock' }), 'bold text is rendered');
    const link = description.getByRole('link', { name: 'the manual' });
    assert.equal(await link.getAttribute('href'), 'https://example.com/dock');
    assert.equal(await link.getAttribute('target'), '_blank', 'an outside link opens apart');
    assert.match((await link.getAttribute('rel')) ?? '', /noopener/);
    const mention = description.getByRole('link', { name: '@Lena Fischer' });
    await expectVisible(mention, 'the mention shows the name');
    assert.match((await mention.getAttribute('href')) ?? '', /^\/users\/\d+$/, 'the mention links to the person');
    assert.equal(await description.locator('script, [onerror]').count(), 0, 'no script and no handler reach the page');
    assert.equal(await description.getByText('@lena.fischer').count(), 0, 'the username is not shown raw');

    await page.getByTestId('comment-body').fill('Ordered a _new_ one.\n\n- cable\n- power supply');
    await page.getByTestId('comment-send').click();
    const reply = page.getByTestId('comment').filter({ hasText: 'Ordered a' });
    await expectVisible(reply.locator('em', { hasText: 'new' }), 'the reply is rendered');
    assert.equal(await reply.locator('li').count(), 2, 'the list in the reply is a list');
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, 'nothing in the text ran');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    assert.equal(overflow, false, 'the page does not scroll sideways');
    await expectAccessible(page, `ticket-text-${size.name}`);

    // The mention leads to the person's page.
    await description.getByRole('link', { name: '@Lena Fischer' }).click();
    await page.waitForURL(/\/users\/\d+$/);
    const person = page.getByTestId('user-page');
    await expectVisible(person, 'the mention opens the person’s page');
    await expectVisible(page.getByRole('heading', { name: 'Lena Fischer' }), 'the page names the person');
    await expectVisible(person.getByRole('link', { name: /@/ }), 'the page shows how to reach them');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    assert.equal(wide, false, 'the person’s page does not scroll sideways');
    await expectAccessible(page, `user-page-${size.name}`);
  });
}

// Shared steps for the browser suites: contexts, sign-in, page checks and failure screenshots.
import path from 'node:path';
import { test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { BASE_URL, screenshot } from './browser.js';

/** Actions and waits give up after this long (the default 30 s would hide a hang for too long). */
export const ACTION_TIMEOUT = 15_000;

export interface Account {
  name: string;
  email: string;
  password: string;
}

/** A fresh context (own cookies and storage) for one person, with uncaught page errors recorded. */
export async function newUserPage(
  browser: Browser,
  options: { width?: number; height?: number; userAgent?: string } = {},
): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    baseURL: BASE_URL,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, pageErrors };
}

/**
 * Runs one step; when it fails, saves a screenshot named after it and says which step it was.
 * Later steps of a flow depend on earlier ones, so `flow.failed` lets them skip instead of piling
 * up follow-on failures.
 */
export function stepRunner(getPage: () => Page | undefined, timeout = 120_000) {
  const flow = { failed: false };
  const run = async (name: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (error) {
      flow.failed = true;
      const page = getPage();
      const file = `fail-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
      if (page && !page.isClosed()) await screenshot(page, file);
      const message = error instanceof Error ? error.message : String(error);
      const url = page && !page.isClosed() ? page.url() : '(no page)';
      const wrapped = new Error(
        `step "${name}" failed at ${url} (screenshot ${path.join(process.env.E2E_ARTIFACTS ?? 'test-results', `${file}.png`)}):\n${message}`,
      );
      if (error instanceof Error) wrapped.stack = `${wrapped.message}\n${error.stack ?? ''}`;
      throw wrapped;
    }
  };
  /** A test that is one part of the flow: skipped once an earlier part failed. */
  const flowTest = (name: string, fn: () => Promise<void>): void => {
    test(name, { timeout }, async (t) => {
      if (flow.failed) {
        t.skip('an earlier step failed');
        return;
      }
      await fn();
    });
  };
  return { flow, run, flowTest };
}

/** Waits until the URL's path (and search, if given) is the expected one. */
export async function waitForPath(page: Page, pathname: string, search?: RegExp): Promise<void> {
  await page.waitForURL((url) => url.pathname === pathname && (search === undefined || search.test(url.search)), {
    timeout: ACTION_TIMEOUT,
  });
}

/** Fails with `message` unless the locator becomes visible in time. */
export async function expectVisible(locator: Locator, message: string, timeout = ACTION_TIMEOUT): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (error) {
    throw new Error(`${message} (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Fails with `message` unless the locator disappears (or never was there) in time. */
export async function expectHidden(locator: Locator, message: string, timeout = ACTION_TIMEOUT): Promise<void> {
  try {
    await locator.waitFor({ state: 'hidden', timeout });
  } catch (error) {
    throw new Error(`${message} (${(error as Error).message.split('\n')[0]})`);
  }
}

/** Polls `read` until `check` accepts its value; fails with the message and the last value seen. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  message: string,
  timeout = ACTION_TIMEOUT,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`${message} (last value: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** Signs in through the login form (already open, or opened here) and waits for the dashboard. */
export async function signIn(page: Page, account: Account, options: { open?: boolean } = {}): Promise<void> {
  if (options.open !== false) {
    await page.goto('/login');
  }
  const form = page.getByTestId('login-form');
  await expectVisible(form, 'the login form is shown');
  const login = form.getByLabel('E-mail or username');
  if ((await login.inputValue()) !== account.email) await login.fill(account.email);
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await waitForPath(page, '/');
  await expectVisible(
    page.getByRole('heading', { name: `Welcome, ${account.name}` }),
    `the dashboard greets ${account.name} after signing in`,
  );
}

/**
 * Whether the element is on screen. A collapsed phone navbar is moved off the left edge rather
 * than hidden, so Playwright's isVisible() says yes for its links.
 */
export async function isOnScreen(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = locator.page().viewportSize();
  if (!box || !viewport || box.width === 0 || box.height === 0) return false;
  return box.x + box.width > 0 && box.x < viewport.width && box.y + box.height > 0 && box.y < viewport.height;
}

/**
 * Whether the element is within the viewport's width: a collapsed phone navbar is off the left
 * edge, while a long open navbar scrolls (its lower links are below the fold but can be clicked).
 */
async function isInViewportWidth(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = locator.page().viewportSize();
  if (!box || !viewport || box.width === 0 || box.height === 0) return false;
  return box.x + box.width > 0 && box.x < viewport.width;
}

/** Opens a page from the navbar (opening the burger menu first on narrow screens). */
export async function openFromNav(page: Page, name: string, pathname: string): Promise<void> {
  const link = page.getByTestId(`nav-${name}`);
  await link.waitFor({ state: 'attached' });
  if (!(await isInViewportWidth(link))) {
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await eventually(() => isInViewportWidth(link), Boolean, `the burger menu shows the "${name}" link`);
  }
  // The grouped navigation can be longer than the screen: scroll the entry into view.
  await link.scrollIntoViewIfNeeded();
  await link.click();
  await waitForPath(page, pathname);
}

/** Which nav entries (data-testid nav-<name>) the signed-in user sees. */
export async function navNames(page: Page): Promise<string[]> {
  return page.locator('[data-testid^="nav-"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.testid?.slice(4) ?? ''));
}

/** The data-* attributes the theme code puts on <html>. */
export async function htmlTheme(page: Page): Promise<{ scheme: string | null; theme: string | null }> {
  return page.evaluate(() => ({
    scheme: document.documentElement.getAttribute('data-mantine-color-scheme'),
    theme: document.documentElement.getAttribute('data-steward-theme'),
  }));
}

/** The demo company test/e2e/run.mjs sets up once for every suite calling ensureDemoSetup() (keep the two alike). */
const DEMO = {
  company: { name: 'Acme Facilities', slug: 'acme' },
  admin: { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' },
};

/** Sets the instance up with the demo data, unless it already is (the suites that work on the demo). */
export async function ensureDemoSetup(company: { name: string; slug: string }, admin: Account): Promise<void> {
  if (JSON.stringify({ company, admin }) !== JSON.stringify(DEMO))
    throw new Error('ensureDemoSetup: the runner sets up its demo company (support.ts DEMO) for the suites calling this; use that one');
  const status = (await (await fetch(`${BASE_URL}/api/v1/setup`)).json()) as { needed: boolean };
  if (!status.needed) return;
  const res = await fetch(`${BASE_URL}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company, admin, demoData: true }),
  });
  if (res.status !== 201) throw new Error(`setup with demo data: ${res.status} ${await res.text()}`);
}

/** Creates the first company through the API (for suites that do not test the setup screen). */
export async function setupViaApi(company: { name: string; slug: string }, admin: Account): Promise<void> {
  const status = (await (await fetch(`${BASE_URL}/api/v1/setup`)).json()) as { needed: boolean };
  if (!status.needed) throw new Error('this suite needs a fresh instance, but setup was already done');
  const res = await fetch(`${BASE_URL}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company, admin, demoData: false }),
  });
  if (!res.ok) throw new Error(`setup via the API failed: ${res.status} ${await res.text()}`);
}

/**
 * Opens a page inside the running app (history push + popstate, as a link click would), without
 * reloading the bundle, then waits until it has settled (see settle()).
 */
export async function visitInApp(page: Page, pathname: string): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState({ usr: null, key: Math.random().toString(36).slice(2), idx: (window.history.state?.idx ?? 0) + 1 }, '', to);
    window.dispatchEvent(new PopStateEvent('popstate', { state: window.history.state }));
  }, pathname);
  await waitForPath(page, pathname.split('?')[0]);
  await settle(page);
}

/** Waits until the page shows no loading spinner and no skeleton (lazy chunks and queries done). */
export async function settle(page: Page): Promise<void> {
  const quiet = () =>
    page.evaluate(
      () =>
        document.querySelector('#root')?.childElementCount !== 0 &&
        !document.querySelector('.mantine-Loader-root, .mantine-Skeleton-root[data-visible="true"]'),
    );
  await eventually(quiet, Boolean, 'the page finishes loading');
  // A query that starts after the first render can bring a spinner back: ask again a moment later.
  await new Promise((r) => setTimeout(r, 150));
  await eventually(quiet, Boolean, 'the page finishes loading');
}

/** Saves the signed-in user's theme through the API (as the profile page does) and reloads. */
export async function useTheme(page: Page, theme: string): Promise<void> {
  const status = await page.evaluate(async (value) => {
    const me = (await (await fetch('/api/v1/me')).json()) as { csrfToken: string };
    const res = await fetch('/api/v1/me', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ theme: value }),
    });
    return res.status;
  }, theme);
  if (status !== 200) throw new Error(`saving the theme "${theme}" answered HTTP ${status}`);
  await page.goto('/');
  await eventually(
    () => page.evaluate(() => document.documentElement.getAttribute('data-steward-theme')),
    (v) => v === theme,
    `the "${theme}" theme is applied`,
  );
  await settle(page);
}

/**
 * The serious or critical axe violations on the current page, one line each (empty when none).
 * axe-core is put into the page once and stays while the app moves between pages (visitInApp), and
 * only violations are collected (not passes): a page-by-page sweep stays quick.
 */
export async function axeProblems(page: Page, label: string, options: { rules?: string[] } = {}): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) {
    // Evaluated rather than added as a <script>: the app's Content-Security-Policy refuses inline scripts.
    const { createRequire } = await import('node:module');
    const { readFileSync } = await import('node:fs');
    await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  }
  const violations = await page.evaluate(async (rules) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: rules ? { type: 'rule', values: rules } : { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target.join(' '), failureSummary: n.failureSummary })),
    }));
  }, options.rules ?? null);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${label}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => `${n.target}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)}]` : ''}`)
          .join(' | ')}`,
    );
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

// How the built web client is served: the brotli/gzip siblings the build writes go to browsers that
// accept them (with Vary: Accept-Encoding), hashed files under /assets/ may be cached for good, and
// the app shell is revalidated on every load so that it never names files of an older build.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { type Harness, harness } from '../harness.js';

const SHELL = `<!doctype html><title>Steward</title><div id="root"></div>${' '.repeat(2000)}`;
const SCRIPT = `console.log(${JSON.stringify('steward '.repeat(400))});`;

describe('web client delivery', () => {
  let h: Harness;
  let app: FastifyInstance;
  let webDir: string;

  beforeAll(async () => {
    h = await harness();
    webDir = await mkdtemp(path.join(tmpdir(), 'steward-web-'));
    await mkdir(path.join(webDir, 'assets'));
    const files: Array<[string, string]> = [
      ['index.html', SHELL],
      ['assets/index-Ab12Cd34.js', SCRIPT],
    ];
    for (const [name, text] of files) {
      await writeFile(path.join(webDir, name), text);
      await writeFile(path.join(webDir, `${name}.br`), brotliCompressSync(text));
      await writeFile(path.join(webDir, `${name}.gz`), gzipSync(text));
    }
    await writeFile(path.join(webDir, 'theme-init.js'), 'document.documentElement.dataset.theme = "light";');
    app = await buildApp(h.deps, { webDir });
  });
  afterAll(async () => {
    await app?.close();
    await rm(webDir, { recursive: true, force: true });
    await h.close();
  });

  it('sends the brotli file to browsers that accept it, gzip to those that accept only that, the original to the rest', async () => {
    const url = '/assets/index-Ab12Cd34.js';
    const br = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.rawPayload.equals(brotliCompressSync(SCRIPT))).toBe(true);

    const gz = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.rawPayload.length).toBeLessThan(SCRIPT.length / 4);

    const plain = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it('lets browsers keep hashed build files for good, other files for an hour, and always revalidates the shell', async () => {
    const hashed = await app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js' });
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await app.inject({ method: 'GET', url: '/theme-init.js' });
    expect(plain.headers['cache-control']).toBe('public, max-age=3600');
    for (const url of ['/', '/tickets/42', '/r/some-token']) {
      const shell = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      expect(shell.statusCode, url).toBe(200);
      expect(shell.headers['cache-control'], url).toBe('no-cache');
      expect(shell.headers['content-encoding'], url).toBe('br');
      expect(shell.headers['content-type'], url).toContain('text/html');
    }
  });

  it('answers a missing build file with a JSON 404, not the shell', async () => {
    const missing = await app.inject({ method: 'GET', url: '/assets/index-OLD.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['cache-control']).toBeUndefined();
    expect(missing.json().error.code).toBe('not_found');
  });
});

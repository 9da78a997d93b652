// The company's locale, currency and public address: asked at setup, changed in settings, and the
// address QR codes, asset links and exports carry (PUBLIC_URL first, then the company's, else a guess).
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany } from '../factories.js';
import { type Client, type Harness, harness } from '../harness.js';

const PASSWORD = 'setup-admin-password';

async function laptopCategory(client: Client): Promise<string> {
  const cats = await client.get('/api/v1/picklists/categories');
  return cats.body.items.find((c: { name: string }) => c.name === 'Laptop').id;
}

const qrOf = (url: string) => QRCode.toBuffer(url, { type: 'png', margin: 1, width: 320, errorCorrectionLevel: 'M' });

describe('company locale, currency and public address', () => {
  let h: Harness;
  let admin: Client;

  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.close());

  it('setup refuses a bad currency, locale or address, naming the field', async () => {
    const res = await h.client().post('/api/v1/setup', {
      company: { name: 'Acme', slug: 'acme', currency: 'EURO', locale: 'english please', publicUrl: 'ftp://files.acme.test' },
      admin: { name: 'Ada', email: 'ada@acme.test', password: PASSWORD },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details.fields).sort()).toEqual(['company.currency', 'company.locale', 'company.publicUrl']);
  });

  it('setup stores them; settings answer them and QR codes carry the company address', async () => {
    const res = await h.client().post('/api/v1/setup', {
      company: { name: 'Acme', slug: 'acme', currency: 'chf', locale: 'de-CH', timezone: 'Europe/Zurich', publicUrl: 'desk.acme.test:8443/' },
      admin: { name: 'Ada', email: 'ada@acme.test', password: PASSWORD },
    });
    expect(res.status).toBe(201);
    admin = h.client();
    expect((await admin.login('ada@acme.test', PASSWORD)).status).toBe(200);
    const settings = await admin.get('/api/v1/settings');
    expect(settings.body.settings).toMatchObject({
      timezone: 'Europe/Zurich',
      locale: 'de-CH',
      currency: 'CHF',
      publicUrl: 'https://desk.acme.test:8443',
      qrBaseUrl: 'https://desk.acme.test:8443',
      qrBaseSource: 'company',
    });

    const made = await admin.post('/api/v1/assets', { name: 'ThinkPad', categoryId: await laptopCategory(admin) });
    expect(made.status).toBe(201);
    const asset = made.body.asset;
    expect(asset.publicUrl).toMatch(/^https:\/\/desk\.acme\.test:8443\/r\/[A-Za-z0-9_-]{20,}$/);
    expect((await admin.get(`/api/v1/assets/${asset.id}`)).body.asset.publicUrl).toBe(asset.publicUrl);
    expect((await admin.get('/api/v1/assets')).body.items[0].publicUrl).toBe(asset.publicUrl);
    const png = await admin.get(`/api/v1/assets/${asset.id}/qr.png`);
    expect(png.status).toBe(200);
    expect(png.raw.rawPayload.equals(await qrOf(asset.publicUrl))).toBe(true);
    const csv = await admin.get('/api/v1/assets/export.csv');
    expect(csv.raw.payload).toContain(asset.publicUrl);
  });

  it('settings change currency, locale and address, normalise them, and null clears the address', async () => {
    const bad = await admin.patch('/api/v1/settings', { currency: 'XXXX', locale: 'not a tag', publicUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details.fields).sort()).toEqual(['currency', 'locale', 'publicUrl']);

    const ok = await admin.patch('/api/v1/settings', { currency: 'eur', locale: 'en-GB', publicUrl: 'https://steward.acme.test/' });
    expect(ok.status).toBe(200);
    expect(ok.body.settings).toMatchObject({ currency: 'EUR', locale: 'en-GB', publicUrl: 'https://steward.acme.test', qrBaseSource: 'company' });

    const cleared = await admin.patch('/api/v1/settings', { publicUrl: null });
    expect(cleared.body.settings).toMatchObject({ currency: 'EUR', publicUrl: null, qrBaseUrl: h.deps.config.publicUrl, qrBaseSource: 'default' });
    const list = await admin.get('/api/v1/assets');
    expect(list.body.items[0].publicUrl.startsWith(`${h.deps.config.publicUrl}/r/`)).toBe(true);
  });

  it('everyone in the company may read the settings; only settings.manage changes them', async () => {
    const co = await createCompany(h);
    const requester = await createUser(h, co, { role: 'Requester' });
    const read = await requester.client.get('/api/v1/settings');
    expect(read.status).toBe(200);
    expect(read.body.settings).toMatchObject({ locale: 'en', currency: 'USD', publicUrl: null, qrBaseSource: 'default', can: { update: false } });
    expect((await requester.client.patch('/api/v1/settings', { currency: 'EUR' })).status).toBe(403);
  });
});

describe('with PUBLIC_URL set', () => {
  let h: Harness;
  let co: TestCompany;

  beforeAll(async () => {
    h = await harness({ publicUrl: 'https://desk.example.org', publicUrlSet: true });
    co = await createCompany(h);
  });
  afterAll(() => h.close());

  it("the operator's address wins over the company's", async () => {
    const admin = co.admin.client;
    const patched = await admin.patch('/api/v1/settings', { publicUrl: 'https://elsewhere.example.com' });
    expect(patched.body.settings).toMatchObject({ publicUrl: 'https://elsewhere.example.com', qrBaseUrl: 'https://desk.example.org', qrBaseSource: 'env' });
    const made = await admin.post('/api/v1/assets', { name: 'Printer', categoryId: await laptopCategory(admin) });
    expect(made.body.asset.publicUrl.startsWith('https://desk.example.org/r/')).toBe(true);
  });
});

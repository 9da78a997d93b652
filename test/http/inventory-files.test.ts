// Files on parts and vendors (photos, manuals, videos, audio notes), like asset files: uploaded with
// inventory.manage, typed from their bytes (active content refused), listed page by page and
// downloaded with inventory.view, removed with inventory.manage (in the audit log), never across companies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createRole, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { multipart } from '../multipart.js';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const pdf = Buffer.from('%PDF-1.4\n% a manual\n');

describe('part and vendor files', () => {
  let h: Harness;
  let acme: TestCompany;
  let other: TestCompany;
  let viewer: TestUser;
  let outsider: TestUser;
  let partId: string;
  let vendorId: string;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    other = await createCompany(h);
    viewer = await createUser(h, acme, { roleId: await createRole(h, acme, ['inventory.view']) });
    outsider = await createUser(h, acme, { roleId: await createRole(h, acme, ['tickets.create']) });
    partId = (await acme.admin.client.post('/api/v1/parts', { sku: 'FLT-1', name: 'Air filter' })).body.part.id;
    vendorId = (await acme.admin.client.post('/api/v1/vendors', { name: 'AirCare' })).body.vendor.id;
  });
  afterAll(() => h.close());

  const upload = (client: TestUser['client'], path: string, filename: string, content: Buffer | string) => {
    const up = multipart([{ filename, content }]);
    return client.request('POST', path, up.body, up.headers);
  };

  for (const [owner, key] of [
    ['parts', 'partId'],
    ['vendors', 'vendorId'],
  ] as const) {
    it(`${owner}: upload, list, download and delete, with the permission checks`, async () => {
      const admin = acme.admin.client;
      const id = owner === 'parts' ? partId : vendorId;
      const photo = await upload(admin, `/api/v1/${owner}/${id}/files`, 'photo.png', png);
      expect(photo.status, JSON.stringify(photo.body)).toBe(201);
      expect(photo.body.file).toMatchObject({ name: 'photo.png', contentType: 'image/png', size: png.length, [key]: id });
      const manual = await upload(admin, `/api/v1/${owner}/${id}/files`, 'manual.pdf', pdf);
      expect(manual.body.file.contentType).toBe('application/pdf');
      const audio = await upload(admin, `/api/v1/${owner}/${id}/files`, 'note.ogg', Buffer.from('OggS\0\x02binary audio'));
      expect(audio.status).toBe(201);
      expect(audio.body.file.contentType).toBe('audio/ogg');

      // Active content is refused and leaves no row; an empty upload is a 400.
      expect((await upload(admin, `/api/v1/${owner}/${id}/files`, 'x.txt', '<html><script>1</script></html>')).status).toBe(415);
      const empty = multipart([]);
      expect((await admin.request('POST', `/api/v1/${owner}/${id}/files`, empty.body, empty.headers)).status).toBe(400);

      // Viewers list (page by page) and download; they cannot add or remove.
      const all = await viewer.client.get(`/api/v1/${owner}/${id}/files`);
      expect(all.status).toBe(200);
      expect(all.body.items.map((f: { name: string }) => f.name)).toEqual(['photo.png', 'manual.pdf', 'note.ogg']);
      const first = await viewer.client.get(`/api/v1/${owner}/${id}/files?limit=2`);
      expect(first.body.items).toHaveLength(2);
      const rest = await viewer.client.get(`/api/v1/${owner}/${id}/files?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(rest.body.items.map((f: { name: string }) => f.name)).toEqual(['note.ogg']);
      expect(rest.body.nextCursor).toBeNull();
      const got = await viewer.client.get(`/api/v1/inventory-files/${photo.body.file.id}`);
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('image/png');
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.raw.rawPayload.equals(png)).toBe(true);
      expect((await upload(viewer.client, `/api/v1/${owner}/${id}/files`, 'photo.png', png)).status).toBe(403);
      expect((await viewer.client.delete(`/api/v1/inventory-files/${photo.body.file.id}`)).status).toBe(403);

      // Without inventory.view nothing is shown; another company sees 404s.
      expect((await outsider.client.get(`/api/v1/${owner}/${id}/files`)).status).toBe(403);
      expect((await outsider.client.get(`/api/v1/inventory-files/${photo.body.file.id}`)).status).toBe(403);
      expect((await other.admin.client.get(`/api/v1/${owner}/${id}/files`)).status).toBe(404);
      expect((await other.admin.client.get(`/api/v1/inventory-files/${photo.body.file.id}`)).status).toBe(404);
      expect((await other.admin.client.delete(`/api/v1/inventory-files/${photo.body.file.id}`)).status).toBe(404);
      expect((await upload(other.admin.client, `/api/v1/${owner}/${id}/files`, 'photo.png', png)).status).toBe(404);

      // Removal: gone from the list and the download, recorded in the audit log.
      expect((await admin.delete(`/api/v1/inventory-files/${photo.body.file.id}`)).status).toBe(204);
      expect((await admin.get(`/api/v1/inventory-files/${photo.body.file.id}`)).status).toBe(404);
      expect((await admin.get(`/api/v1/${owner}/${id}/files`)).body.items).toHaveLength(2);
      const audit = await admin.get('/api/v1/audit?limit=200');
      const actions = audit.body.items.filter((e: { targetId: string | null }) => e.targetId === id).map((e: { action: string }) => e.action);
      expect(actions).toContain('inventory_file.added');
      expect(actions).toContain('inventory_file.deleted');
    });
  }

  it('videos and audio notes are typed from their bytes, whatever their name says', async () => {
    const admin = acme.admin.client;
    const box = (brand: string) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brand}`), Buffer.alloc(12)]);
    const cases: Array<[string, Buffer, string]> = [
      ['clip.mp4', box('isom'), 'video/mp4'],
      ['memo.m4a', box('M4A '), 'audio/mp4'],
      ['clip.webm', Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]), 'video/webm'],
      ['memo.mp3', Buffer.from('ID3\x04\0\0\0\0\0\0binary'), 'audio/mpeg'],
      ['memo.wav', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]), 'audio/wav'],
      ['renamed.mp4', Buffer.from('just some text'), 'text/plain'],
    ];
    for (const [name, content, type] of cases) {
      const res = await upload(admin, `/api/v1/parts/${partId}/files`, name, content);
      expect(res.status, name).toBe(201);
      expect(res.body.file.contentType, name).toBe(type);
      expect((await admin.delete(`/api/v1/inventory-files/${res.body.file.id}`)).status).toBe(204);
    }
  });

  it('a missing part or vendor is a 404 before anything is stored', async () => {
    const admin = acme.admin.client;
    expect((await upload(admin, '/api/v1/parts/999999/files', 'photo.png', png)).status).toBe(404);
    expect((await admin.get('/api/v1/vendors/999999/files')).status).toBe(404);
    expect((await admin.get('/api/v1/inventory-files/999999')).status).toBe(404);
  });
});

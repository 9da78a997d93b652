// A Snipe-IT asset export as Snipe-IT (and Excel on Windows) writes it: Windows-1252, CR line endings.
// The supplier becomes the vendor, order number, model number and notes are kept, the check-out
// columns check assets out to the matching users (the others are listed), and the status words and
// list values the company does not know are counted, mapped by the user and remembered.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../../src/server/modules/users/users.repo.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';
import { multipart } from '../multipart.js';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../fixtures', name));

describe('asset import of a Snipe-IT export', () => {
  let h: Harness;
  let co: TestCompany;
  let jose: number;
  let zoe: number;
  beforeAll(async () => {
    h = await harness();
    co = await createCompany(h);
    const person = (name: string, email: string, username: string | null) =>
      h.deps.database.system((scope) =>
        insertUser(scope.tx, { tenantId: co.id, name, email, username, passwordHash: null, roleId: co.roleIds.get('Requester')!, departmentId: null, status: 'active' }),
      );
    jose = (await person('José García', 'jose.garcia@acme.example', 'jgarcia')).id;
    zoe = (await person('Zoë Ångström', 'zoe@acme.example', null)).id;
  });
  afterAll(() => h.close());

  const send = (file: Buffer, query: string, fields: Record<string, string> = {}) => {
    const body = multipart([{ filename: 'assets.csv', content: file, contentType: 'text/csv' }], fields);
    return co.admin.client.request('POST', `/api/v1/assets/import?${query}`, body.body, body.headers);
  };
  const byTag = async () => {
    const list = (await co.admin.client.get('/api/v1/assets?limit=200')).body.items as Array<Record<string, unknown> & { tag: string }>;
    return new Map(list.map((a) => [a.tag, a]));
  };

  it('reads the export, keeps supplier, order number, model number and notes, and checks assets out to the users it names', async () => {
    const telekom = await co.admin.client.post('/api/v1/vendors', { name: 'Telekom Shop' });
    expect(telekom.status).toBe(201);
    const writes = () => count(h, 'select (select count(*) from assets) + (select count(*) from vendors) + (select count(*) from asset_history) + (select count(*) from asset_import_mappings)');
    const before = await writes();

    const dry = await send(fixture('snipeit-assets.csv'), 'dryRun=true&createPicklistValues=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, encoding: 'windows-1252', created: 4, errors: [], checkedOut: 2 });
    expect(dry.body.usersNotFound).toEqual([{ name: 'Pat Nobody · pnobody · pat.nobody@acme.example', count: 1 }]);
    expect(dry.body.unknownValues).toContainEqual({ kind: 'vendors', value: 'Müller Bürobedarf GmbH', count: 3, mappedTo: null, action: 'create' });
    expect(dry.body.unknownValues).toContainEqual({ kind: 'categories', value: 'Laptops', count: 2, mappedTo: null, action: 'create' });
    expect(dry.body.unknownValues.find((u: { value: string }) => u.value === 'Telekom Shop')).toBeUndefined();
    const columns = new Map(dry.body.columns.map((c: { header: string; field: string | null }) => [c.header, c.field]));
    expect(Object.fromEntries(columns)).toMatchObject({
      Company: null, Supplier: 'vendor', 'Order Number': 'orderNumber', Model: 'model', 'Model Number': 'modelNumber', 'Model Notes': 'modelNotes', 'Asset Notes': 'notes',
      'Checked Out To: Username': 'checkoutUsername', 'Checked Out To: Email': 'checkoutEmail', 'Asset EOL Date': 'endOfLife',
    });
    expect(await writes()).toBe(before);

    const res = await send(fixture('snipeit-assets.csv'), 'createPicklistValues=true');
    expect(res.body).toMatchObject({ dryRun: false, created: 4, updated: 0, errors: [], checkedOut: 2 });
    const assets = await byTag();
    const muller = (await co.admin.client.get('/api/v1/vendors?limit=50')).body.items;
    expect(muller.map((v: { name: string }) => v.name).sort()).toEqual(['Müller Bürobedarf GmbH', 'Telekom Shop']);
    const mullerId = muller.find((v: { name: string }) => v.name.startsWith('Müller')).id;
    expect(assets.get('LT-1001')).toMatchObject({
      name: 'Lena’s laptop', model: 'ThinkPad T14', modelNumber: '21HD0051GE', orderNumber: 'PO-4711', purchaseCost: 1299, purchaseDate: '2024-03-15', endOfLife: '2028-03-15',
      specifications: 'Dock + 2 monitors\n\nModel notes: 14" business laptop', vendorId: mullerId, vendor: { name: 'Müller Bürobedarf GmbH' },
      status: 'in_use', assignedTo: { id: String(jose), name: 'José García' }, location: { name: 'Floor 2' }, category: { name: 'Laptops' },
    });
    expect(assets.get('DS-2001')).toMatchObject({ specifications: 'Wall mount, €89 extra', vendorId: mullerId, assignedTo: null, status: 'in_stock', endOfLife: '2029-11-02' });
    expect(assets.get('PH-3001')).toMatchObject({ name: 'Zoë’s phone', vendorId: telekom.body.vendor.id, assignedTo: { id: String(zoe) }, status: 'in_use' });
    expect(assets.get('LT-1002')).toMatchObject({ vendorId: mullerId, assignedTo: null, status: 'in_stock', orderNumber: 'PO-4711' });
    const lt = assets.get('LT-1001')!;
    expect(lt.checkedOutAt).toEqual(expect.any(String));
    const history = (await co.admin.client.get(`/api/v1/assets/${lt.id}/history`)).body.items;
    expect(history[0].changes).toContainEqual({ field: 'assignedToId', before: null, after: jose, beforeLabel: null, afterLabel: 'José García' });
    // The export carries them too, under the headers the import reads back.
    const exported: string[][] = parse((await co.admin.client.get('/api/v1/assets/export.csv?q=LT-1001')).raw.body, { bom: true });
    const row = Object.fromEntries(exported[0].map((header, i) => [header, exported[1][i]]));
    expect(row).toMatchObject({ 'Model Number': '21HD0051GE', Supplier: 'Müller Bürobedarf GmbH', 'Order Number': 'PO-4711', 'Asset EOL Date': '2028-03-15', 'Assigned To': 'José García' });
    // The same file again: updates by tag, nobody is checked out twice.
    const again = await send(fixture('snipeit-assets.csv'), 'createPicklistValues=true');
    expect(again.body).toMatchObject({ created: 0, updated: 4, errors: [], checkedOut: 0 });
  });

  it('an older export: repeated and empty header cells, unknown status words mapped by the user and remembered', async () => {
    const screens = await co.admin.client.post('/api/v1/picklists/categories', { name: 'Screens' });
    expect(screens.status).toBe(201);
    const screensId = screens.body.item.id;
    const dry = await send(fixture('snipeit-assets-old.csv'), 'dryRun=true&createPicklistValues=true');
    expect(dry.status).toBe(200);
    expect(dry.body.columns.map((c: { field: string | null }) => c.field)).toEqual([
      null, 'name', 'tag', 'model', 'modelNumber', 'category', 'manufacturer', 'serial', 'status', 'location', 'purchaseDate', 'purchaseCost', 'warrantyEnd', 'notes', null, 'name', 'status',
    ]);
    // Today's rule refused these rows; now they are listed, with how many rows carry each word.
    expect(dry.body.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5]);
    const status = dry.body.unknownValues.filter((u: { kind: string }) => u.kind === 'status');
    expect(status).toEqual([
      { kind: 'status', value: 'Awaiting RMA', count: 2, mappedTo: null, action: 'error' },
      { kind: 'status', value: 'Verloren', count: 1, mappedTo: null, action: 'error' },
    ]);
    expect(dry.body.unknownValues).toContainEqual({ kind: 'categories', value: 'Monitors', count: 1, mappedTo: null, action: 'create' });

    const values = JSON.stringify({ status: { 'Awaiting RMA': { status: 'in_repair' }, Verloren: { status: 'retired' } }, categories: { Monitors: { id: screensId }, Desktops: { name: 'Computers' } } });
    const res = await send(fixture('snipeit-assets-old.csv'), 'createPicklistValues=true', { values });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 4, errors: [] });
    const assets = await byTag();
    expect(assets.get('DT-0001')).toMatchObject({ name: 'Old desktop', status: 'in_stock', serial: 'ABC123', model: 'OptiPlex 7010', modelNumber: '7010', warrantyEnd: '2022-05-01', category: { name: 'Computers' } });
    expect(assets.get('MN-0001')).toMatchObject({ name: 'Broken monitor', status: 'in_repair', category: { id: screensId, name: 'Screens' } });
    expect(assets.get('PH-0002')).toMatchObject({ status: 'retired', specifications: 'Weg – verloren' });

    // The next import remembers the mapping: the words are still listed, with what they map to, and import.
    const next = await send(fixture('snipeit-assets-old.csv'), 'dryRun=true');
    expect(next.body.errors).toEqual([]);
    expect(next.body.unknownValues).toContainEqual({ kind: 'status', value: 'Awaiting RMA', count: 2, mappedTo: { status: 'in_repair' }, action: 'error' });
    expect(next.body.mapping.values.categories).toEqual({ Monitors: { id: screensId }, Desktops: { name: 'Computers' } });
  });

  it('refuses a mapping that is not one, or names a value of no list of this company', async () => {
    const bad = await send(fixture('snipeit-assets-old.csv'), 'dryRun=true', { values: '{"status":{"Awaiting RMA":{"status":"lost"}}}' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.values).toBeDefined();
    const notJson = await send(fixture('snipeit-assets-old.csv'), 'dryRun=true', { values: '{' });
    expect(notJson.status).toBe(400);
    const foreign = await send(fixture('snipeit-assets-old.csv'), 'dryRun=true', { values: JSON.stringify({ categories: { Tablets: { id: '999999' } } }) });
    expect(foreign.status).toBe(200);
    expect(foreign.body.errors).toContainEqual({ row: 4, message: 'the mapping of category "Tablets" names no category of this company' });
  });
});

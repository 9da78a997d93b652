// The parser wrapper and the pipeline on every malformed or unusual message we could think of:
// each decodes (any charset, encoded words) and gives a ticket or an ignored reason, never an exception.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownHtml, ownText } from '../../src/server/modules/mail/mail.content.js';
import { noiseReason, senderReason } from '../../src/server/modules/mail/mail.filters.js';
import { parseMail } from '../../src/server/modules/mail/mail.parse.js';
import { ingestRawMessage } from '../../src/server/modules/mail/mail.pipeline.js';
import { cleanSubject, subjectNumber } from '../../src/server/modules/mail/mail.threading.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';
import { fixture, fixtureNames } from '../mail-fixtures.js';

const none = { addresses: new Set<string>() };

describe('parsing', () => {
  it.each([
    ['utf8.eml', 'Grüße: Käse und Öl', 'Die Kühlung im Raum Ä-12 läuft nicht. 温度が高い.'],
    ['windows-1252.eml', 'Café machine', 'The café machine says “descale” – please fix € 5 refund.'],
    ['iso-8859-2.eml', 'Łódź', 'Drukarka w Łodzi nie działa, proszę o pomoc.'],
    ['koi8-r.eml', 'Принтер сломан', 'Принтер на третьем этаже не печатает.'],
    ['iso-2022-jp.eml', 'プリンター故障', '３階のプリンターが動きません。'],
    ['encoded-words.eml', 'Se rompió la impresora — urgente', 'Hola.'],
  ])('%s decodes subject and body', async (name, subject, text) => {
    const m = await parseMail(fixture(name));
    expect(m.subject).toBe(subject);
    expect(m.text.trim()).toBe(text);
  });

  it('encoded-word addresses keep their names', async () => {
    const m = await parseMail(fixture('encoded-words.eml'));
    expect(m.from).toEqual({ address: 'jose@client.example', name: 'José Muñoz' });
    expect(m.cc).toEqual([{ address: 'alvaro@client.example', name: 'Álvaro' }]);
  });

  it('every fixture parses without throwing', async () => {
    for (const name of fixtureNames()) {
      const m = await parseMail(fixture(name));
      expect(typeof m.subject, name).toBe('string');
    }
  });

  it('a wrong charset label still gives the text (best effort)', async () => {
    const m = await parseMail(fixture('wrong-charset.eml'));
    expect(m.subject).toBe('Wrong label');
    expect(m.text).toContain('Bytes in UTF-8 under a bogus label');
  });

  it('2,000 recipients are all read', async () => {
    const m = await parseMail(fixture('two-thousand-recipients.eml'));
    expect(m.to).toHaveLength(2000);
  });

  it('auto-replies of every kind, bounces and DSNs are recognised', async () => {
    const expected: Record<string, string> = {
      'auto-auto-replied.eml': 'auto_reply',
      'auto-auto-generated.eml': 'auto_reply',
      'auto-x-autoreply.eml': 'auto_reply',
      'auto-x-autorespond.eml': 'auto_reply',
      'auto-precedence-bulk.eml': 'bulk',
      'auto-precedence-junk.eml': 'bulk',
      'auto-precedence-list.eml': 'bulk',
      'auto-precedence-auto-reply.eml': 'auto_reply',
      'auto-exchange-ooo.eml': 'auto_reply',
      'dsn-multipart-report.eml': 'bounce',
      'dsn-plain-report.eml': 'bounce',
    };
    for (const [name, reason] of Object.entries(expected)) expect(noiseReason(await parseMail(fixture(name)), none), name).toBe(reason);
    expect(noiseReason(await parseMail(fixture('utf8.eml')), none)).toBeNull();
  });

  it('sender rules: deny patterns and allowed domains (subdomains included)', () => {
    const s = { allowedDomains: ['client.example'], denySenders: ['*@spam.client.example', 'eve@client.example'] };
    expect(senderReason('alice@client.example', s)).toBeNull();
    expect(senderReason('bob@eu.client.example', s)).toBeNull();
    expect(senderReason('eve@client.example', s)).toBe('sender_not_allowed');
    expect(senderReason('x@spam.client.example', s)).toBe('sender_not_allowed');
    expect(senderReason('x@other.example', s)).toBe('sender_not_allowed');
  });

  it('quoted text is stripped from text and HTML; scripts and remote images are dropped; cid images are pointed at', async () => {
    const m = await parseMail(fixture('html-with-quote.eml'));
    expect(ownText(m.text, m.html)).toBe('Works now, thanks!');
    const html = ownHtml(m.html as string, () => null);
    expect(html).toContain('<b>thanks</b>');
    expect(html).not.toContain('restart the client');
    const img = await parseMail(fixture('cid-inline-image.eml'));
    const shown = ownHtml(img.html as string, (cid) => (cid === 'shot1@fixtures' ? '/api/v1/attachments/7' : null));
    expect(shown).toContain('<img src="/api/v1/attachments/7"');
    expect(shown).not.toContain('script');
    expect(shown).not.toContain('tracker.example');
  });

  it('subjects: [#n] is found, reply prefixes are cleaned', () => {
    expect(subjectNumber('Re: AW: [#42] Printer')).toBe(42);
    expect(subjectNumber('Order #42 printer')).toBeNull();
    expect(cleanSubject('Re: AW: Fwd: [#42] Printer jam')).toBe('Printer jam');
    expect(cleanSubject('')).toBe('(no subject)');
  });
});

describe('the pipeline on malformed messages', () => {
  let h: Harness;
  let acme: TestCompany;
  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  it('every fixture gives a ticket or an ignored reason, never an exception', async () => {
    for (const name of fixtureNames()) {
      const r = await ingestRawMessage(h.deps, { tenantId: acme.id, mailboxId: null, raw: fixture(name) });
      expect(['created', 'ignored'], name).toContain(r.result);
      if (r.result === 'ignored') expect(r.reason, name).toBeTruthy();
    }
    // Exactly one row per fixture, each with its result.
    expect(await count(h, 'select count(*) from inbound_messages where tenant_id = $1', [acme.id])).toBe(fixtureNames().length);
  });

  it('a 0-byte attachment, a nested message and a cid image are kept as attachments', async () => {
    const files = await h.deps.database.query<{ name: string; size: string; content_type: string }>(
      'select a.name, a.size, a.content_type from attachments a where a.tenant_id = $1 order by a.id',
      [acme.id],
    );
    const names = files.rows.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['empty.log', 'quote.eml', 'shot.png']));
    expect(files.rows.find((r) => r.name === 'shot.png')?.content_type).toBe('image/png');
    expect(Number(files.rows.find((r) => r.name === 'empty.log')?.size)).toBe(0);
  });

  it('a 25 MB attachment passes under a 40 MB limit and is stored whole', async () => {
    await h.deps.database.withTenant(acme.id, (s) =>
      s.tx.execute(
        `insert into mail_settings (tenant_id, max_message_mb) values (${acme.id}, 40) on conflict (tenant_id) do update set max_message_mb = 40` as never,
      ),
    );
    const big = Buffer.alloc(25 * 1024 * 1024, 7);
    const b64 = big.toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = Buffer.from(
      `From: big@client.example\r\nTo: help@acme.test\r\nSubject: Big file\r\nMessage-ID: <big@client.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="BB"\r\n\r\n--BB\r\nContent-Type: text/plain\r\n\r\nThe dump.\r\n--BB\r\nContent-Type: application/octet-stream; name="dump.bin"\r\nContent-Disposition: attachment; filename="dump.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--BB--\r\n`,
    );
    const r = await ingestRawMessage(h.deps, { tenantId: acme.id, mailboxId: null, raw });
    expect(r.result).toBe('created');
    expect(await count(h, `select size from attachments where tenant_id = $1 and name = 'dump.bin'`, [acme.id])).toBe(25 * 1024 * 1024);
  }, 120_000);
});

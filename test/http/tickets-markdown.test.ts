// Descriptions and comments are Markdown that the server renders and sanitises: the answer carries
// the raw text and the HTML beside it, with no script, no event handler and no javascript: link,
// external links open apart, and an @mention shows the person's name and links to them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

const HOSTILE = [
  '# Printer',
  '**Jams** after [a few](https://example.com/manual) pages. <script>alert(1)</script>',
  '<img src="x" onerror="alert(2)"> <a href="javascript:alert(3)">click</a> [bad](javascript:alert(4))',
  '<div onclick="alert(5)" style="color:red">styled</div>',
].join('\n\n');

describe('Markdown in tickets and comments', () => {
  let h: Harness;
  let acme: TestCompany;
  let manager: TestUser;
  let tech: TestUser;
  const usernameOf = (u: TestUser) => u.email.split('@')[0];

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    manager = await createUser(h, acme, { role: 'Manager', department: 'IT' });
    tech = await createUser(h, acme, { role: 'Technician', department: 'IT' });
  });
  afterAll(() => h.close());

  function expectSafe(html: string) {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/style=/i);
  }

  it('renders the description once, sanitised, beside the raw text, on create and on read', async () => {
    const created = await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Printer jams', description: HOSTILE });
    expect(created.status).toBe(201);
    const t = created.body.ticket;
    expect(t.description).toBe(HOSTILE);
    expectSafe(t.descriptionHtml);
    expect(t.descriptionHtml).toContain('<h1>Printer</h1>');
    expect(t.descriptionHtml).toContain('<strong>Jams</strong>');
    expect(t.descriptionHtml).toContain('<a href="https://example.com/manual" rel="noopener noreferrer nofollow" target="_blank">a few</a>');
    expect(t.descriptionHtml).toContain('styled');
    const read = await manager.client.get(`/api/v1/tickets/${t.number}`);
    expect(read.body.ticket.descriptionHtml).toBe(t.descriptionHtml);
  });

  it('shows an @mention as the person, linked, and leaves e-mail addresses and unknown names as text', async () => {
    const created = await manager.client.post('/api/v1/tickets', { kind: 'incident', title: 'Mentions', description: `Ask @${usernameOf(tech)} please, or @${usernameOf(tech)}.` });
    const t = created.body.ticket;
    const link = `<a href="/users/${tech.id}" class="mention" rel="noopener">@User ${tech.email}</a>`;
    // A full stop after a username ends the sentence, not the name.
    expect(t.descriptionHtml).toBe(`<p>Ask ${link} please, or ${link}.</p>`);

    const body = `@${usernameOf(tech)} can you look?\nMail ops@example.com or @nobody-here\n\n\`@${usernameOf(tech)}\` <b onmouseover="x()">bold</b>`;
    const added = await manager.client.post(`/api/v1/tickets/${t.number}/comments`, { body, internal: false });
    expect(added.status).toBe(201);
    const html: string = added.body.comment.bodyHtml;
    expect(added.body.comment.body).toBe(body);
    expectSafe(html);
    expect(html).toContain(`<a href="/users/${tech.id}" class="mention" rel="noopener">@User ${tech.email}</a> can you look?<br />`);
    expect(html).toContain('@nobody-here');
    expect(html).not.toContain('/users/undefined');
    // Inside code the mention stays the text it was.
    expect(html).toContain(`<code>@${usernameOf(tech)}</code>`);
    expect(html).toContain('<b>bold</b>');

    const list = await manager.client.get(`/api/v1/tickets/${t.number}/comments`);
    expect(list.status).toBe(200);
    expect(list.body.items.at(-1).bodyHtml).toBe(html);
  });
});

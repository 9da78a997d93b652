// The e-mail channel over HTTP (API.md "E-mail channel"): mailboxes, the raw-MIME webhook, the
// company's mail settings, external contacts and the original message behind a comment.
import { z } from 'zod';
import * as c from '../../../shared/contracts/mail.js';
import { ctxOf, idParam, type ModulePlugin, toId, wrap } from '../http.js';
import * as service from './mail.service.js';

const tags = ['mail'];
const noContent = { 204: z.null().describe('Done') };
/** The route's own body limit: above any company's maxMessageMb (≤ 100), which the pipeline enforces. */
const RAW_LIMIT = 101 * 1024 * 1024;

export const mailRoutes: ModulePlugin = async (app, { deps }) => {
  /** The webhook mailbox each inbound request's token named (looked up once, in onRequest). */
  const found = new WeakMap<object, service.WebhookMailbox>();
  // Raw messages: kept as bytes (the pipeline decodes every charset itself).
  for (const type of ['message/rfc822', 'application/octet-stream']) {
    if (!app.hasContentTypeParser(type)) {
      app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: RAW_LIMIT }, (_req, body, done) => done(null, body));
    }
  }

  app.post('/api/v1/inbound/:token', {
    config: { access: 'public' },
    bodyLimit: RAW_LIMIT,
    // An unknown or inactive token is refused before up to 100 MB of body is read; the mailbox found
    // is kept for the handler.
    onRequest: async (req) => {
      const token = (req.params as { token?: string }).token ?? '';
      found.set(req, await service.webhookMailbox(deps, token));
    },
    schema: {
      tags,
      summary:
        'A webhook mailbox takes one raw message (message/rfc822): 202 with what became of it; 413 over the size limit; 404 unknown or inactive',
      params: c.inboundTokenParams,
      response: { 202: c.inboundAnswer },
    },
    handler: async (req, reply) => reply.code(202).send(await service.receiveWebhook(deps, req.params.token, req.body, found.get(req))),
  });

  app.get('/api/v1/mailboxes', {
    config: { access: 'settings.manage' },
    schema: {
      tags,
      summary: 'The company mailboxes with their status (secrets never returned)',
      querystring: c.mailboxListQuery,
      response: { 200: c.mailboxList },
    },
    handler: (req) => service.listMailboxes(ctxOf(deps, req), req.query),
  });
  app.post('/api/v1/mailboxes', {
    config: { access: 'settings.manage' },
    schema: {
      tags,
      summary: 'Add an IMAP, Graph or webhook mailbox (a webhook one answers its webhookUrl)',
      body: c.mailboxBody,
      response: { 201: c.mailboxAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(wrap('mailbox', await service.createMailbox(ctxOf(deps, req), req.body))),
  });
  app.get('/api/v1/mailboxes/:id', {
    config: { access: 'settings.manage' },
    schema: { tags, summary: 'One mailbox', params: idParam, response: { 200: c.mailboxAnswer } },
    handler: async (req) => wrap('mailbox', await service.getMailbox(ctxOf(deps, req), toId(req.params.id))),
  });
  app.patch('/api/v1/mailboxes/:id', {
    config: { access: 'settings.manage' },
    schema: {
      tags,
      summary: 'Change a mailbox; a secret is replaced only when sent; `rotateToken` gives a webhook mailbox a new URL',
      params: idParam,
      body: c.mailboxPatch,
      response: { 200: c.mailboxAnswer },
    },
    handler: async (req) => wrap('mailbox', await service.updateMailbox(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
  app.delete('/api/v1/mailboxes/:id', {
    config: { access: 'settings.manage' },
    schema: { tags, summary: 'Remove a mailbox (its received messages and tickets stay)', params: idParam, response: noContent },
    handler: async (req, reply) => {
      await service.deleteMailbox(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
  app.get('/api/v1/mailboxes/:id/messages', {
    config: { access: 'settings.manage' },
    schema: {
      tags,
      summary: 'What a mailbox received, newest first, with the result (refused and ignored messages show their reason)',
      params: idParam,
      querystring: c.inboundMessageQuery,
      response: { 200: c.inboundMessageList },
    },
    handler: (req) => service.listInbound(ctxOf(deps, req), toId(req.params.id), req.query),
  });

  app.get('/api/v1/mail/messages/:id/raw', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'The original message as received (message/rfc822), for whoever may see its ticket', params: idParam },
    handler: async (req, reply) => {
      const file = await service.rawMessage(ctxOf(deps, req), toId(req.params.id));
      return reply
        .header('content-type', 'message/rfc822')
        .header('content-disposition', `attachment; filename="${file.name}"`)
        .header('x-content-type-options', 'nosniff')
        .send(file.stream);
    },
  });

  app.get('/api/v1/settings/mail', {
    config: { access: 'settings.manage' },
    schema: {
      tags,
      summary: 'Allowed sender domains, deny list, size limit (MB) and reopen period (days)',
      response: { 200: c.mailSettingsAnswer },
    },
    handler: async (req) => wrap('settings', await service.getMailSettings(ctxOf(deps, req))),
  });
  app.patch('/api/v1/settings/mail', {
    config: { access: 'settings.manage' },
    schema: {
      tags,
      summary: 'Change the mail settings; reopenDays 0 = a reply never reopens (always a new, linked ticket)',
      body: c.mailSettingsPatch,
      response: { 200: c.mailSettingsAnswer },
    },
    handler: async (req) => wrap('settings', await service.updateMailSettings(ctxOf(deps, req), req.body)),
  });

  app.get('/api/v1/contacts', {
    config: { access: 'users.view' },
    schema: {
      tags,
      summary: 'External contacts (people who wrote in), by name; q matches name or e-mail',
      querystring: c.contactQuery,
      response: { 200: c.contactList },
    },
    handler: (req) => service.listContacts(ctxOf(deps, req), req.query),
  });
  app.post('/api/v1/contacts/:id/convert', {
    config: { access: 'users.manage' },
    schema: {
      tags,
      summary: 'Turn a contact into a user (invited by e-mail; Requester unless roleId says otherwise); its tickets become theirs',
      params: idParam,
      body: c.contactConvertBody,
      response: { 200: c.contactConvertAnswer },
    },
    handler: (req) => service.convertContact(ctxOf(deps, req), toId(req.params.id), req.body ?? {}),
  });
};

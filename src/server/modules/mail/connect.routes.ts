// Mailbox connections: test one (connects and logs in, changes nothing) and re-authorise a
// Microsoft Graph mailbox whose authorisation was refused (API.md "E-mail channel").
import { mailboxIdParams, mailboxTestAnswer } from '../../../shared/contracts/mail.js';
import { ctxOf, type ModulePlugin, toId } from '../http.js';
import { reauthorizeMailbox, testMailbox } from './connect.service.js';

export const mailConnectRoutes: ModulePlugin = async (app, { deps }) => {
  app.post('/api/v1/mailboxes/:id/test', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['mail'],
      summary: 'Connects to the mailbox and logs in, changing nothing: {ok, error?}',
      params: mailboxIdParams,
      response: { 200: mailboxTestAnswer },
    },
    handler: (req) => testMailbox(ctxOf(deps, req), toId(req.params.id)),
  });

  app.post('/api/v1/mailboxes/:id/reauthorize', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['mail'],
      summary:
        'A Microsoft Graph mailbox: drops the cached token, asks for a new one and, when it works, clears the auth error and fetches again',
      params: mailboxIdParams,
      response: { 200: mailboxTestAnswer },
    },
    handler: (req) => reauthorizeMailbox(ctxOf(deps, req), toId(req.params.id)),
  });
};

// Company backup (the company's administrator) and restore (the instance operator): docs/backup.md.
import { backupArchive, backupBody, restoreAnswer } from '../../../shared/contracts/backup.js';
import { ctxOf, idParam, type ModulePlugin, partsOf, toId } from '../http.js';
import { downloadBackup, operatorDownloadBackup } from './backup.service.js';
import { RESTORE_LIMIT_BYTES, restoreUpload } from './restore.service.js';

export const backupRoutes: ModulePlugin = async (app, { deps }) => {
  app.post('/api/v1/company/backup', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['backup'],
      summary: "Download one archive of all the company's data and files (administrators with every permission)",
      description:
        'A gzip\'d tar: manifest.json (format and schema version, app version, per-table row counts and sha256 checksums, the secrets left out), ' +
        'tables/<table>.<part>.ndjson (every column, ids kept) and files/<n> (stored files). Secrets (mailbox passwords, device credentials, ' +
        'API tokens, webhook secrets) are left out and listed "to re-enter", or included encrypted with `passphrase` (scrypt + AES-256-GCM).',
      body: backupBody,
      response: { 200: backupArchive },
    },
    handler: async (req, reply) => {
      const { stream, fileName } = await downloadBackup(ctxOf(deps, req), req.body ?? {});
      return reply
        .header('content-type', 'application/gzip')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(stream as never);
    },
  });

  app.post('/api/v1/admin/companies/:id/backup', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['backup'],
      summary: "The operator downloads a company's archive (the same as the company's own backup), also while it is suspended",
      params: idParam,
      body: backupBody,
      response: { 200: backupArchive },
    },
    handler: async (req, reply) => {
      const { stream, fileName } = await operatorDownloadBackup(ctxOf(deps, req), toId(req.params.id), req.body ?? {});
      return reply
        .header('content-type', 'application/gzip')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(stream as never);
    },
  });

  app.post('/api/v1/admin/companies/restore', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['backup'],
      summary: 'Restore a company archive as a new company or in place of one (multipart: mode, slug, name?, passphrase?, then file)',
      description:
        '`mode=new` with `slug` (and `name`): a new company identical to the archived one, users included; 409 `users_exist` lists e-mails and usernames ' +
        'already on this instance. `mode=replace` with `slug`: that company\'s data is replaced. One transaction: a corrupt, truncated, altered, foreign ' +
        'or newer-schema archive is refused with 422 `bad_archive` naming the problem, and nothing is written. Older archives are upgraded.',
      consumes: ['multipart/form-data'],
      response: { 201: restoreAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(await restoreUpload(ctxOf(deps, req), partsOf(req, { fileSize: RESTORE_LIMIT_BYTES }))),
  });
};

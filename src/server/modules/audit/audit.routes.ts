// The audit log: security and administration events of the company, filterable, newest first.
import { auditPage, auditQuery, operatorAuditQuery } from '../../../shared/contracts/audit.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import { listAudit } from './audit.service.js';

export const auditRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/audit', {
    config: { access: 'audit.view' },
    schema: {
      tags: ['audit'],
      summary: 'Audit log, filterable by action (or "prefix."), actor and time',
      querystring: auditQuery,
      response: { 200: auditPage },
    },
    handler: (req) => listAudit(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/admin/audit', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['audit'],
      summary: "The instance's audit log (operator): every company, or one with companyId",
      querystring: operatorAuditQuery,
      response: { 200: auditPage },
    },
    handler: (req) => listAudit(ctxOf(deps, req), req.query),
  });
};

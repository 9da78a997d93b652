// The operator's costs by client company over HTTP (API.md "Costs and reports"): superadmin only.
import { z } from 'zod';
import * as c from '../../../shared/contracts/company-costs.js';
import { reportFile } from '../../../shared/contracts/reports.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import * as service from './company-costs.service.js';

export const companyCostsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/admin/reports/costs', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['reports'],
      summary: 'Costs (labour, parts, purchases) of every company of this instance over a period',
      description:
        'One row per company, zeros included, by total descending; amounts are numbers in that company’s currency, ' +
        'as in the company’s own GET /api/v1/reports/costs, and each equals its `totals` for the same period. ' +
        '`format=csv` gives the rows as a file.',
      querystring: c.companyCostsQuery,
      response: { 200: z.union([c.companyCosts, reportFile]) },
    },
    handler: async (req, reply) => {
      const report = await service.companyCosts(ctxOf(deps, req), req.query);
      if (req.query.format === 'json') return report;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="company-costs-${report.from}-${report.to}.csv"`)
        .header('cache-control', 'no-store')
        .send(service.companyCostsCsv(report));
    },
  });
};

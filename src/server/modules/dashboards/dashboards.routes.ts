// GET /api/v1/dashboard: the role dashboard's sections the caller's permissions allow.
import { ctxOf, type ModulePlugin } from '../http.js';
import { dashboardAnswer } from '../../../shared/contracts/dashboards.js';
import { dashboard } from './dashboards.service.js';

export const dashboardsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/dashboard', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['dashboards'],
      summary: 'Your dashboard: my tickets, my queue, approvals, unassigned, overdue, workload, status over time (as your role allows)',
      response: { 200: dashboardAnswer },
    },
    handler: (req) => dashboard(ctxOf(deps, req)),
  });
};

import { assetsIoRoutes } from './assets/assets-io.routes.js';
import { assetsRoutes } from './assets/assets.routes.js';
import { attachmentsRoutes } from './attachments/attachments.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { backupRoutes } from './backup/backup.routes.js';
import { categoriesRoutes } from './categories/categories.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { companiesRoutes } from './companies/companies.routes.js';
import { companyCostsRoutes } from './reports/company-costs.routes.js';
import { dashboardsRoutes } from './dashboards/dashboards.routes.js';
import { departmentsRoutes } from './departments/departments.routes.js';
import { documentsRoutes } from './documents/documents.routes.js';
import type { ModulePlugin } from './http.js';
import { inventoryRoutes } from './inventory/inventory.routes.js';
import { liveRoutes } from './live/live.routes.js';
import { locationsRoutes } from './locations/locations.routes.js';
import { maintenanceRoutes } from './maintenance/maintenance.routes.js';
import { mailConnectRoutes } from './mail/connect.routes.js';
import { mailRoutes } from './mail/mail.routes.js';
import { meRoutes } from './me/me.routes.js';
import { meterAlertsRoutes } from './meters/alerts.routes.js';
import { metersRoutes } from './meters/meters.routes.js';
import { notificationsRoutes } from './notifications/notifications.routes.js';
import { outboxRoutes } from './outbox/outbox.routes.js';
import { picklistsRoutes } from './picklists/picklists.routes.js';
import { projectsRoutes } from './projects/projects.routes.js';
import { purchasingRoutes } from './purchasing/purchasing.routes.js';
import { publicReportRoutes } from './public-report/public-report.routes.js';
import { reportsRoutes } from './reports/reports.routes.js';
import { reportSchedulesRoutes } from './reports/schedules.routes.js';
import { quickLinksRoutes } from './quick-links/quick-links.routes.js';
import { recurringRoutes } from './recurring/recurring.routes.js';
import { rolesRoutes } from './roles/roles.routes.js';
import { scheduleRoutes } from './schedule/schedule.routes.js';
import { savedViewsRoutes } from './saved-views/saved-views.routes.js';
import { businessHoursRoutes } from './schedule/business-hours.routes.js';
import { settingsRoutes } from './settings/settings.routes.js';
import { slaRoutes } from './sla/sla.routes.js';
import { supplyRoutes } from './supply/supply.routes.js';
import { licenseRoutes } from './system/license.routes.js';
import { systemRoutes } from './system/system.routes.js';
import { ticketWorkRoutes } from './tickets/ticket-work.routes.js';
import { ticketLinksRoutes } from './tickets/ticket-links.routes.js';
import { ticketsRoutes } from './tickets/tickets.routes.js';
import { ticketsBulkRoutes } from './tickets/tickets-bulk.routes.js';
import { ticketsExportRoutes } from './tickets/tickets-export.routes.js';
import { usersRoutes } from './users/users.routes.js';
import { webhooksRoutes } from './webhooks/webhooks.routes.js';

/** Every module's routes, registered in this order by buildApp(). */
export const MODULES: ModulePlugin[] = [
  systemRoutes,
  companiesRoutes,
  backupRoutes,
  authRoutes,
  meRoutes,
  rolesRoutes,
  usersRoutes,
  departmentsRoutes,
  outboxRoutes,
  mailRoutes,
  auditRoutes,
  settingsRoutes,
  liveRoutes,
  categoriesRoutes,
  ticketsRoutes,
  ticketsExportRoutes,
  ticketsBulkRoutes,
  dashboardsRoutes,
  reportsRoutes,
  companyCostsRoutes,
  reportSchedulesRoutes,
  attachmentsRoutes,
  ticketWorkRoutes,
  ticketLinksRoutes,
  projectsRoutes,
  savedViewsRoutes,
  notificationsRoutes,
  picklistsRoutes,
  locationsRoutes,
  assetsRoutes,
  assetsIoRoutes,
  inventoryRoutes,
  supplyRoutes,
  purchasingRoutes,
  publicReportRoutes,
  quickLinksRoutes,
  recurringRoutes,
  maintenanceRoutes,
  scheduleRoutes,
  businessHoursRoutes,
  slaRoutes,
  mailConnectRoutes,
  metersRoutes,
  meterAlertsRoutes,
  webhooksRoutes,
  documentsRoutes,
  licenseRoutes,
];

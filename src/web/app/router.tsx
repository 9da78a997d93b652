// All routes. Pages are lazy chunks so the first load only carries the shell.
import { lazy, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import type { Me } from '../../shared/contracts/me';
import type { Permission } from '../../shared/permissions/catalogue';
import { PageLoader } from '../components/PageLoader';
import { NeedPermission, NotFoundPage, RequireAuth, SetupGate } from './guards';
import { RouteError } from './RouteError';
import { Shell } from './Shell';

// Created once per page at module load; React.lazy must not run during render.
const page = <K extends string>(load: () => Promise<Record<K, React.ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

const SetupPage = page(() => import('../features/setup/SetupPage'), 'SetupPage');
const LoginPage = page(() => import('../features/auth/LoginPage'), 'LoginPage');
const ForgotPage = page(() => import('../features/auth/ForgotPasswordPage'), 'ForgotPasswordPage');
const ResetPage = page(() => import('../features/auth/ResetPasswordPage'), 'ResetPasswordPage');
const InvitationPage = page(() => import('../features/auth/InvitationPage'), 'InvitationPage');
const SignupPage = page(() => import('../features/auth/SignupPage'), 'SignupPage');
const DashboardPage = page(() => import('../features/dashboard/DashboardPage'), 'DashboardPage');
const ProfilePage = page(() => import('../features/profile/ProfilePage'), 'ProfilePage');
const SessionsPage = page(() => import('../features/sessions/SessionsPage'), 'SessionsPage');
const UsersPage = page(() => import('../features/users/UsersPage'), 'UsersPage');
const UserPage = page(() => import('../features/users/UserPage'), 'UserPage');
const RolesPage = page(() => import('../features/roles/RolesPage'), 'RolesPage');
const RoleEditPage = page(() => import('../features/roles/RoleEditPage'), 'RoleEditPage');
const DepartmentsPage = page(() => import('../features/departments/DepartmentsPage'), 'DepartmentsPage');
const CompaniesPage = page(() => import('../features/companies/CompaniesPage'), 'CompaniesPage');
const SystemPage = page(() => import('../features/system/SystemPage'), 'SystemPage');
const MailboxesPage = page(() => import('../features/mail/MailboxesPage'), 'MailboxesPage');
const MailSettingsPage = page(() => import('../features/mail/MailSettingsPage'), 'MailSettingsPage');
const ContactsPage = page(() => import('../features/mail/ContactsPage'), 'ContactsPage');
const OutboxPage = page(() => import('../features/outbox/OutboxPage'), 'OutboxPage');
const BackupPage = page(() => import('../features/backup/BackupPage'), 'BackupPage');
const RestorePage = page(() => import('../features/backup/RestorePage'), 'RestorePage');
const CompanyCostsPage = page(() => import('../features/companies/CompanyCostsPage'), 'CompanyCostsPage');
const OutboxMessagePage = page(() => import('../features/outbox/OutboxMessagePage'), 'OutboxMessagePage');
const AuditPage = page(() => import('../features/audit/AuditPage'), 'AuditPage');
const TicketsPage = page(() => import('../features/tickets/TicketsPage'), 'TicketsPage');
const NewTicketPage = page(() => import('../features/tickets/NewTicketPage'), 'NewTicketPage');
const TicketPage = page(() => import('../features/tickets/TicketPage'), 'TicketPage');
const CategoriesPage = page(() => import('../features/categories/CategoriesPage'), 'CategoriesPage');
const TeamsPage = page(() => import('../features/categories/TeamsPage'), 'TeamsPage');
const BusinessHoursPage = page(() => import('../features/sla/BusinessHoursPage'), 'BusinessHoursPage');
const SlaPoliciesPage = page(() => import('../features/sla/SlaPoliciesPage'), 'SlaPoliciesPage');
const ProjectsPage = page(() => import('../features/projects/ProjectsPage'), 'ProjectsPage');
const ProjectPage = page(() => import('../features/projects/ProjectPage'), 'ProjectPage');
const AssetsPage = page(() => import('../features/assets/AssetsPage'), 'AssetsPage');
const NewAssetPage = page(() => import('../features/assets/AssetFormPage'), 'NewAssetPage');
const EditAssetPage = page(() => import('../features/assets/AssetFormPage'), 'EditAssetPage');
const AssetPage = page(() => import('../features/assets/AssetPage'), 'AssetPage');
const ImportPage = page(() => import('../features/assets/ImportPage'), 'ImportPage');
const LocationsPage = page(() => import('../features/locations/LocationsPage'), 'LocationsPage');
const LocationPage = page(() => import('../features/locations/LocationsPage'), 'LocationPage');
const PicklistsPage = page(() => import('../features/picklists/PicklistsPage'), 'PicklistsPage');
const PartsPage = page(() => import('../features/inventory/PartsPage'), 'PartsPage');
const PartPage = page(() => import('../features/inventory/PartsPage'), 'PartPage');
const VendorsPage = page(() => import('../features/inventory/VendorsPage'), 'VendorsPage');
const SupplyNewPage = page(() => import('../features/inventory/SupplyNewPage'), 'SupplyNewPage');
const PlannedItemsPage = page(() => import('../features/purchasing/PlannedItemsPage'), 'PlannedItemsPage');
const PurchaseOrdersPage = page(() => import('../features/purchasing/PurchaseOrdersPage'), 'PurchaseOrdersPage');
const PurchaseOrderPage = page(() => import('../features/purchasing/PurchaseOrderPage'), 'PurchaseOrderPage');
const ReportsPage = page(() => import('../features/reports/ReportsPage'), 'ReportsPage');
const PurchasingSetupPage = page(() => import('../features/purchasing/PurchasingSetupPage'), 'PurchasingSetupPage');
const RecurringTicketsPage = page(() => import('../features/maintenance/RecurringTicketsPage'), 'RecurringTicketsPage');
const RecurringTicketPage = page(() => import('../features/maintenance/RecurringTicketPage'), 'RecurringTicketPage');
const MaintenancePlansPage = page(() => import('../features/maintenance/MaintenancePlansPage'), 'MaintenancePlansPage');
const DevicesPage = page(() => import('../features/meters/DevicesPage'), 'DevicesPage');
const DocumentsPage = page(() => import('../features/documents/DocumentsPage'), 'DocumentsPage');
const MeterPage = page(() => import('../features/meters/MeterPage'), 'MeterPage');
const MeterAlertsPage = page(() => import('../features/meters/MeterAlertsPage'), 'MeterAlertsPage');
const WebhooksPage = page(() => import('../features/webhooks/WebhooksPage'), 'WebhooksPage');
const RetentionPage = page(() => import('../features/settings/RetentionPage'), 'RetentionPage');
const MeterAnalyticsPage = page(() => import('../features/meters/MeterAnalyticsPage'), 'MeterAnalyticsPage');
const PublicReportPage = page(() => import('../features/public/PublicReportPage'), 'PublicReportPage');
const SchedulePage = page(() => import('../features/schedule/SchedulePage'), 'SchedulePage');
const TimeOffPage = page(() => import('../features/schedule/TimeOffPage'), 'TimeOffPage');
const NotificationsPage = page(() => import('../features/notifications/NotificationsPage'), 'NotificationsPage');

const need = (anyOf: Permission[], element: React.ReactNode) => (
  <NeedPermission anyOf={anyOf}>{element}</NeedPermission>
);

export const ASSET_VIEWERS: Permission[] = ['assets.view', 'assets.manage'];
export const INVENTORY_VIEWERS: Permission[] = ['inventory.view', 'inventory.manage'];
const screen = (name: keyof Me['can'], element: React.ReactNode) => <NeedPermission screen={name}>{element}</NeedPermission>;

export const router = createBrowserRouter([
  // The public QR report page: no login, no setup gate, no shell.
  {
    path: '/r/:token',
    errorElement: <RouteError />,
    element: (
      <Suspense fallback={<PageLoader />}>
        <PublicReportPage />
      </Suspense>
    ),
  },
  {
    element: <SetupGate />,
    errorElement: <RouteError />,
    children: [
      { path: '/setup', element: <SetupPage /> },
      { path: '/login', element: <LoginPage /> },
      { path: '/forgot-password', element: <ForgotPage /> },
      { path: '/reset-password', element: <ResetPage /> },
      { path: '/invitation', element: <InvitationPage /> },
      { path: '/signup', element: <SignupPage /> },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <Shell />,
            children: [
              { index: true, element: <DashboardPage /> },
              { path: '/profile', element: <ProfilePage /> },
              { path: '/sessions', element: <SessionsPage /> },
              { path: '/users', element: need(['users.view', 'users.manage'], <UsersPage />) },
              { path: '/users/:id', element: need(['users.view', 'users.manage'], <UserPage />) },
              { path: '/roles', element: need(['roles.manage'], <RolesPage />) },
              { path: '/roles/new', element: need(['roles.manage'], <RoleEditPage />) },
              { path: '/roles/:id', element: need(['roles.manage'], <RoleEditPage />) },
              { path: '/departments', element: need(['departments.manage'], <DepartmentsPage />) },
              { path: '/mailboxes', element: need(['settings.manage'], <MailboxesPage />) },
              { path: '/settings/mail', element: need(['settings.manage'], <MailSettingsPage />) },
              { path: '/contacts', element: need(['users.view'], <ContactsPage />) },
              { path: '/outbox', element: need(['settings.manage'], <OutboxPage />) },
              { path: '/outbox/:id', element: need(['settings.manage'], <OutboxMessagePage />) },
              { path: '/audit', element: need(['audit.view'], <AuditPage />) },
              { path: '/tickets', element: screen('viewTickets', <TicketsPage />) },
              { path: '/tickets/new', element: need(['tickets.create'], <NewTicketPage />) },
              { path: '/tickets/:number', element: <TicketPage /> },
              { path: '/categories', element: need(['categories.manage'], <CategoriesPage />) },
              { path: '/teams', element: need(['categories.manage'], <TeamsPage />) },
              { path: '/settings/business-hours', element: need(['settings.manage'], <BusinessHoursPage />) },
              { path: '/settings/sla-policies', element: need(['settings.manage'], <SlaPoliciesPage />) },
              { path: '/projects', element: screen('viewProjects', <ProjectsPage />) },
              { path: '/projects/:id', element: screen('viewProjects', <ProjectPage />) },
              { path: '/notifications', element: <NotificationsPage /> },
              { path: '/assets', element: need(ASSET_VIEWERS, <AssetsPage />) },
              { path: '/assets/new', element: need(['assets.manage'], <NewAssetPage />) },
              { path: '/assets/import', element: need(['assets.manage'], <ImportPage />) },
              { path: '/assets/:id', element: need(ASSET_VIEWERS, <AssetPage />) },
              { path: '/assets/:id/edit', element: need(['assets.manage'], <EditAssetPage />) },
              { path: '/locations', element: need(ASSET_VIEWERS, <LocationsPage />) },
              { path: '/locations/:id', element: need(ASSET_VIEWERS, <LocationPage />) },
              { path: '/settings/picklists', element: need(['assets.manage'], <PicklistsPage />) },
              { path: '/parts', element: need(INVENTORY_VIEWERS, <PartsPage />) },
              { path: '/parts/:id', element: need(INVENTORY_VIEWERS, <PartPage />) },
              { path: '/vendors', element: need(INVENTORY_VIEWERS, <VendorsPage />) },
              { path: '/planned-items', element: need(['purchasing.manage'], <PlannedItemsPage />) },
              { path: '/purchase-orders', element: need(['purchasing.manage'], <PurchaseOrdersPage />) },
              { path: '/purchase-orders/:id', element: need(['purchasing.manage'], <PurchaseOrderPage />) },
              { path: '/reports', element: need(['reports.view', 'reports.financial'], <ReportsPage />) },
              { path: '/purchasing/setup', element: need(['purchasing.manage'], <PurchasingSetupPage />) },
              { path: '/recurring-tickets', element: need(['maintenance.manage'], <RecurringTicketsPage />) },
              { path: '/recurring-tickets/new', element: need(['maintenance.manage'], <RecurringTicketPage />) },
              { path: '/recurring-tickets/:id', element: need(['maintenance.manage'], <RecurringTicketPage />) },
              { path: '/maintenance-plans', element: need(['maintenance.manage'], <MaintenancePlansPage />) },
              { path: '/schedule', element: need(['schedule.view', 'schedule.manage'], <SchedulePage />) },
              { path: '/time-off', element: need(['schedule.view', 'schedule.manage'], <TimeOffPage />) },
              { path: '/devices', element: need(['meters.manage'], <DevicesPage />) },
              { path: '/webhooks', element: need(['webhooks.manage'], <WebhooksPage />) },
              { path: '/settings/retention', element: need(['settings.manage'], <RetentionPage />) },
              { path: '/documents', element: need(['documents.view'], <DocumentsPage />) },
              { path: '/meters/analytics', element: need(['meters.manage', 'assets.view'], <MeterAnalyticsPage />) },
              { path: '/meters/:id', element: need(['meters.manage', 'assets.view'], <MeterPage />) },
              { path: '/meter-alerts', element: need(['meters.manage', 'assets.view'], <MeterAlertsPage />) },
              { path: '/supply/new', element: need(['tickets.create'], <SupplyNewPage />) },
              {
                path: '/companies',
                element: (
                  <NeedPermission superAdmin>
                    <CompaniesPage />
                  </NeedPermission>
                ),
              },
              {
                path: '/system',
                element: (
                  <NeedPermission superAdmin>
                    <SystemPage />
                  </NeedPermission>
                ),
              },
              { path: '/settings/backup', element: need(['settings.manage'], <BackupPage />) },
              {
                path: '/companies/restore',
                element: (
                  <NeedPermission superAdmin>
                    <RestorePage />
                  </NeedPermission>
                ),
              },
              {
                path: '/companies/costs',
                element: (
                  <NeedPermission superAdmin>
                    <CompanyCostsPage />
                  </NeedPermission>
                ),
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]);

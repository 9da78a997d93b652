// All routes. Pages are lazy chunks so the first load only carries the shell.
import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { PROJECT_VIEWERS, TICKET_VIEWERS } from '../features/tickets/access';
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
const RolesPage = page(() => import('../features/roles/RolesPage'), 'RolesPage');
const RoleEditPage = page(() => import('../features/roles/RoleEditPage'), 'RoleEditPage');
const DepartmentsPage = page(() => import('../features/departments/DepartmentsPage'), 'DepartmentsPage');
const CompaniesPage = page(() => import('../features/companies/CompaniesPage'), 'CompaniesPage');
const OutboxPage = page(() => import('../features/outbox/OutboxPage'), 'OutboxPage');
const OutboxMessagePage = page(() => import('../features/outbox/OutboxMessagePage'), 'OutboxMessagePage');
const AuditPage = page(() => import('../features/audit/AuditPage'), 'AuditPage');
const TicketsPage = page(() => import('../features/tickets/TicketsPage'), 'TicketsPage');
const NewTicketPage = page(() => import('../features/tickets/NewTicketPage'), 'NewTicketPage');
const TicketPage = page(() => import('../features/tickets/TicketPage'), 'TicketPage');
const CategoriesPage = page(() => import('../features/categories/CategoriesPage'), 'CategoriesPage');
const TeamsPage = page(() => import('../features/categories/TeamsPage'), 'TeamsPage');
const ProjectsPage = page(() => import('../features/projects/ProjectsPage'), 'ProjectsPage');
const ProjectPage = page(() => import('../features/projects/ProjectPage'), 'ProjectPage');
const NotificationsPage = page(() => import('../features/notifications/NotificationsPage'), 'NotificationsPage');

const need = (anyOf: string[], element: React.ReactNode) => (
  <NeedPermission anyOf={anyOf}>{element}</NeedPermission>
);

export const router = createBrowserRouter([
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
              { path: '/roles', element: need(['roles.manage'], <RolesPage />) },
              { path: '/roles/new', element: need(['roles.manage'], <RoleEditPage />) },
              { path: '/roles/:id', element: need(['roles.manage'], <RoleEditPage />) },
              { path: '/departments', element: need(['departments.manage'], <DepartmentsPage />) },
              { path: '/outbox', element: need(['settings.manage'], <OutboxPage />) },
              { path: '/outbox/:id', element: need(['settings.manage'], <OutboxMessagePage />) },
              { path: '/audit', element: need(['audit.view'], <AuditPage />) },
              { path: '/tickets', element: need(TICKET_VIEWERS, <TicketsPage />) },
              { path: '/tickets/new', element: need(['tickets.create'], <NewTicketPage />) },
              { path: '/tickets/:number', element: <TicketPage /> },
              { path: '/categories', element: need(['categories.manage'], <CategoriesPage />) },
              { path: '/teams', element: need(['categories.manage'], <TeamsPage />) },
              { path: '/projects', element: need(PROJECT_VIEWERS, <ProjectsPage />) },
              { path: '/projects/:id', element: need(PROJECT_VIEWERS, <ProjectPage />) },
              { path: '/notifications', element: <NotificationsPage /> },
              {
                path: '/companies',
                element: (
                  <NeedPermission superAdmin>
                    <CompaniesPage />
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

// The permission catalogue: every permission the product knows, with its area and label.
// Roles hold a subset; routes declare one of these (or 'public' / 'authenticated').

export const PERMISSIONS = {
  'users.view': 'See the user list and who is online',
  'users.manage': 'Create, invite, edit and deactivate users',
  'roles.manage': 'Create and edit roles and their permissions',
  'departments.manage': 'Create and edit departments and their heads',
  'settings.manage': 'Company settings, picklists and the mail outbox',
  'audit.view': 'Read the audit log',
  'tickets.create': 'Open tickets',
  'tickets.view_department': "See the tickets of one's department",
  'tickets.view_assigned': 'See tickets assigned to oneself or one’s teams',
  'tickets.view_all': 'See every ticket of the company',
  'tickets.update': 'Edit tickets and change their status',
  'tickets.approve': 'Approve or reject tickets',
  'tickets.approve_any': 'Decide any pending approval step, also one waiting for someone else',
  'tickets.assign': 'Assign tickets to technicians and teams',
  'tickets.comment': 'Comment on tickets',
  'tickets.internal_notes': 'Read and write internal notes',
  'tickets.delete': 'Delete tickets',
  'categories.manage': 'Manage ticket categories and approval routes',
  'projects.manage': 'Manage projects',
  'assets.view': 'See assets',
  'assets.manage': 'Create and edit assets, check them in and out',
  'inventory.view': 'See parts and stock',
  'inventory.issue': 'Use parts on tickets and fulfil supply requests (stock leaves only against a ticket)',
  'inventory.manage': 'Manage parts and vendors; receive, transfer, adjust and consume stock',
  'purchasing.manage': 'Plan purchases and draft purchase orders',
  'purchasing.finalize': 'Finalise and send purchase orders',
  'maintenance.manage': 'Manage recurring tickets and preventive maintenance plans',
  'schedule.view': 'See the technician schedule',
  'schedule.manage': 'Plan the schedule and approve time off',
  'reports.view': 'See reports and dashboards',
  'reports.financial': 'See cost and spend reports',
  'meters.manage': 'Manage devices, meters and thresholds',
  'webhooks.manage': 'Manage outgoing webhooks and see their delivery log',
  'documents.view': 'Read the company documents',
  'documents.manage': 'Upload, edit, link and delete documents and their categories',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export function permissionArea(permission: Permission): string {
  return permission.slice(0, permission.indexOf('.'));
}

/** What a route needs: a permission, any logged-in company user or operator, the operator, or nothing. */
export type RouteAccess = Permission | 'public' | 'authenticated' | 'superadmin';

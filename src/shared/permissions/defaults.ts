import { ALL_PERMISSIONS, type Permission } from './catalogue.js';

export interface DefaultRole {
  name: string;
  level: number;
  permissions: readonly Permission[];
}

const requester: Permission[] = ['tickets.create', 'tickets.comment', 'assets.view', 'documents.view'];
const technician: Permission[] = [
  ...requester,
  'users.view',
  'tickets.view_assigned',
  'tickets.update',
  'tickets.internal_notes',
  'inventory.view',
  'inventory.issue',
  'schedule.view',
];
const departmentHead: Permission[] = [
  ...requester,
  'users.view',
  'tickets.view_department',
  'tickets.approve',
  'schedule.view',
  'reports.view',
];
const manager: Permission[] = [
  ...new Set<Permission>([
    ...technician,
    ...departmentHead,
    'tickets.view_all',
    'tickets.assign',
    'categories.manage',
    'projects.manage',
    'assets.manage',
    'inventory.manage',
    'purchasing.manage',
    'purchasing.finalize',
    'maintenance.manage',
    'meters.manage',
    'schedule.manage',
    'reports.financial',
    'documents.manage',
  ]),
];

/** The roles every new company starts with. Levels leave room for custom roles in between. */
export const DEFAULT_ROLES: readonly DefaultRole[] = [
  { name: 'Admin', level: 100, permissions: ALL_PERMISSIONS },
  { name: 'Manager', level: 80, permissions: manager },
  { name: 'Department Head', level: 60, permissions: departmentHead },
  { name: 'Technician', level: 40, permissions: technician },
  { name: 'Requester', level: 20, permissions: requester },
  { name: 'Viewer', level: 10, permissions: ['assets.view', 'inventory.view', 'schedule.view', 'reports.view', 'documents.view'] },
];

export const DEFAULT_DEPARTMENTS = ['IT', 'Facilities', 'Operations', 'Finance'] as const;

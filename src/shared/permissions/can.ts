import type { Permission } from './catalogue.js';

/** The caller as the permission rules see it: pure data, shared by server and web. */
export interface PermissionSubject {
  superAdmin: boolean;
  level: number;
  permissions: ReadonlySet<Permission> | readonly Permission[];
}

export function hasPermission(subject: PermissionSubject, permission: Permission): boolean {
  const held = subject.permissions;
  return Array.isArray(held) ? held.includes(permission) : (held as ReadonlySet<Permission>).has(permission);
}

/** A user manages only users (and roles) strictly below their own level. */
export function canManageLevel(subject: PermissionSubject, targetLevel: number): boolean {
  return subject.level > targetLevel;
}

/** A user grants only permissions they hold themselves. Returns those that are not held. */
export function permissionsNotHeld(subject: PermissionSubject, wanted: readonly Permission[]): Permission[] {
  return wanted.filter((p) => !hasPermission(subject, p));
}

/** Who is shown the ticket list (requesters see their own tickets there). Sent to the web client in GET /me's `can`. */
export function canListTickets(subject: PermissionSubject): boolean {
  return (['tickets.create', 'tickets.view_all', 'tickets.view_department', 'tickets.view_assigned', 'tickets.approve'] as const).some((p) =>
    hasPermission(subject, p),
  );
}

/** Who is shown the projects screens. Sent to the web client in GET /me's `can`. */
export function canListProjects(subject: PermissionSubject): boolean {
  return hasPermission(subject, 'projects.manage') || hasPermission(subject, 'tickets.view_all');
}

// Shapes of the API answers the web client reads (the contract in /api/v1/openapi.json).

export type ThemeName = 'light' | 'dark' | 'ocean' | 'fallout' | 'system';

export interface Preferences {
  density?: 'comfortable' | 'compact';
  pageSize?: number;
  [key: string]: unknown;
}

export interface MeUser {
  id: string;
  name: string;
  email: string;
  username: string | null;
  timezone: string | null;
  theme: ThemeName | null;
  color: string | null;
  preferences?: Preferences | null;
  totpEnabled?: boolean;
}

export interface Me {
  user: MeUser;
  company: { id: string; name: string; slug: string } | null;
  role: { id: string; name: string; level: number } | null;
  permissions: string[];
  superAdmin: boolean;
  csrfToken: string;
}

export type Can = Record<string, boolean>;

export interface RoleRef {
  id: string;
  name: string;
  level: number;
}

export interface Role extends RoleRef {
  permissions: string[];
  builtin: boolean;
  userCount: number;
  can?: Can;
}

export interface PermissionInfo {
  key: string;
  area: string;
  label: string;
}

export type UserStatus = 'active' | 'invited' | 'deactivated';

export interface User {
  id: string;
  name: string;
  email: string;
  username: string | null;
  status: UserStatus;
  role: RoleRef | null;
  department: { id: string; name: string } | null;
  lastLoginAt: string | null;
  lockedUntil?: string | null;
  online?: boolean;
  can?: Can;
}

export interface OnlineUser {
  id: string;
  name: string;
  color: string | null;
}

export interface Department {
  id: string;
  name: string;
  head: { id: string; name: string } | null;
  userCount: number;
  can?: Can;
}

export interface Company {
  id: string;
  name: string;
  slug: string;
  contactEmail: string;
  seats: number;
  usedSeats: number;
  suspended: boolean;
  createdAt: string;
  signedUp: boolean;
}

export interface OutboxItem {
  id: string;
  to: string;
  subject: string;
  status: 'kept' | 'pending' | 'sent' | 'failed';
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

export interface OutboxMessage extends OutboxItem {
  text: string | null;
  html?: string | null;
}

export interface AuditEntry {
  id: string;
  action: string;
  actor: { id: string; name: string } | null;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  ip: string | null;
  createdAt: string;
}

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string | null;
  expiresAt: string | null;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

import type { Permission } from '../../shared/permissions/index.js';

/** Who is calling: a company user (by session or API token) or the instance operator. */
export type Actor =
  | {
      kind: 'user';
      userId: number;
      tenantId: number;
      name: string;
      email: string;
      username: string | null;
      roleId: number;
      roleName: string;
      level: number;
      departmentId: number | null;
      permissions: ReadonlySet<Permission>;
      via: 'session' | 'token';
      sessionId: number | null;
      tokenId: number | null;
      csrfToken: string | null;
      /** What GET /me shows, read with the session so that answering it needs no query. */
      profile: UserProfile;
      /** Set for an API token of a suspended company: it may read, not change anything. */
      readOnly?: 'company_suspended';
    }
  | {
      kind: 'superadmin';
      superAdminId: number;
      name: string;
      email: string;
      via: 'session';
      sessionId: number;
      csrfToken: string;
    };

export interface UserProfile {
  timezone: string;
  theme: string;
  color: string;
  preferences: Record<string, unknown>;
  totpEnabled: boolean;
  companyName: string;
  companySlug: string;
  /** The company's IANA zone (settings `timezone`): every date-only rule (today, due, overdue) uses it. */
  companyTimezone: string;
}

export type UserActor = Extract<Actor, { kind: 'user' }>;
export type SuperAdminActor = Extract<Actor, { kind: 'superadmin' }>;

/** What a service needs to know about the request, and nothing of Fastify. */
export interface RequestInfo {
  ip: string;
  userAgent: string | null;
}

export function permissionSubject(actor: UserActor) {
  return { superAdmin: false, level: actor.level, permissions: actor.permissions };
}

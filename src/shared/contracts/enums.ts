// The value lists the API speaks, as plain `as const` arrays: the zod schemas, the database schema
// and the web client all read them from here. Zod-free on purpose, so the web bundle can import the
// arrays at run time without pulling zod in.

/** The longest ticket title; the forms state it instead of cutting a title short. */
export const TICKET_TITLE_MAX = 300;

export const TICKET_STATUSES = ['new', 'pending_approval', 'open', 'in_progress', 'on_hold', 'resolved', 'closed', 'rejected'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** The statuses the ticket list's "open" toggle means (the rest are finished). */
export const OPEN_TICKET_STATUSES = [
  'new',
  'pending_approval',
  'open',
  'in_progress',
  'on_hold',
] as const satisfies readonly TicketStatus[];
export const TICKET_KINDS = ['incident', 'request', 'work_order', 'supply'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const TICKET_SOURCES = ['web', 'email', 'portal', 'qr', 'api', 'schedule', 'sensor'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];
export const TICKET_SORTS = ['newest', 'oldest', 'updated', 'priority', 'due', 'slaDue'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];
export const APPROVAL_DECISIONS = ['approved', 'rejected', 'skipped'] as const;
export type ApprovalDecisionKind = (typeof APPROVAL_DECISIONS)[number];

export const PROJECT_STATUSES = ['active', 'on_hold', 'done'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const USER_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const THEMES = ['light', 'dark', 'ocean', 'fallout', 'system'] as const;
export type ThemeName = (typeof THEMES)[number];
export const DENSITIES = ['comfortable', 'compact'] as const;
export type Density = (typeof DENSITIES)[number];

export const ASSET_STATUSES = ['in_use', 'in_stock', 'in_repair', 'retired', 'disposed'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];
export const PICKLISTS = ['categories', 'manufacturers', 'conditions', 'document_categories'] as const;
export type PicklistName = (typeof PICKLISTS)[number];
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'choice'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export const LABEL_PAPERS = ['a4', 'letter'] as const;
export type LabelPaper = (typeof LABEL_PAPERS)[number];

export const MOVEMENT_TYPES = ['receive', 'consume', 'transfer', 'adjust'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

export const MAIL_STATUSES = ['kept', 'pending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export const NOTIFICATION_EVENTS = [
  'ticket.created',
  'ticket.assigned',
  'ticket.status_changed',
  'ticket.commented',
  'ticket.mentioned',
  'ticket.approval_needed',
  'ticket.approved',
  'ticket.rejected',
  'inventory.low_stock',
  'schedule.changed',
  'time_off.decided',
  'ticket.sla_warning',
  'ticket.sla_breached',
  'mail.auth_error',
  'meter.alert',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const DASHBOARD_SECTIONS = ['mine', 'queue', 'approvals', 'unassigned', 'overdue', 'workload', 'statusOverTime'] as const;
export type DashboardSection = (typeof DASHBOARD_SECTIONS)[number];

export const DATABASE_KINDS = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** States of the PostgreSQL LISTEN connection (in-process on PGlite), as /readyz names them. */
export const LISTENER_STATES = ['idle', 'connecting', 'connected', 'reconnecting', 'closed', 'in-process'] as const;
export type ListenerState = (typeof LISTENER_STATES)[number];

export const PURCHASE_ORDER_STATUSES = ['draft', 'sent', 'partly_received', 'received', 'closed', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];
export const PLANNED_ITEM_SOURCES = ['manual', 'low_stock'] as const;
export type PlannedItemSource = (typeof PLANNED_ITEM_SOURCES)[number];
export const PURCHASE_ORDER_EVENTS = ['created', 'edited', 'finalized', 'sent', 'received', 'closed', 'cancelled'] as const;

export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.status_changed',
  'ticket.commented',
  'approval.decided',
  'asset.checked_out',
  'asset.checked_in',
  'stock.low',
  'purchase_order.finalized',
  'purchase_order.received',
  'meter.alert',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'retrying', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

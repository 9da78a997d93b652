// Who sees which ticket screens (the server decides; this only hides what it would refuse).

/** Who sees the ticket list (requesters see their own tickets). */
export const TICKET_VIEWERS = [
  'tickets.create',
  'tickets.view_all',
  'tickets.view_department',
  'tickets.view_assigned',
  'tickets.approve',
];

export const PROJECT_VIEWERS = ['projects.manage', 'tickets.view_all'];

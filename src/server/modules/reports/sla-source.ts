// How the ticket report counts SLA results: null until the company's tickets carry an SLA state
// (the SLA module's table), then a join that says, per ticket, whether it met or breached its targets.
import type { SlaSource } from './desk.queries.js';

export function slaReportSource(_tenantId: number): SlaSource | null {
  return null;
}

// Each report as a file: its columns, a caption with the period, and the totals row.
import type { Readable } from 'node:stream';
import type { CostLine, CostReport, ReliabilityReport, TicketReport } from '../../../shared/contracts/reports.js';
import { type Column, fileOf } from './reports.files.js';

type Format = 'csv' | 'xlsx';

export function costFile(format: Format, r: CostReport): Promise<Readable> {
  const columns: Array<Column<CostReport['rows'][number]>> = [
    { header: r.groupBy, type: 'text', width: 34, value: (x) => x.label },
    { header: 'key', type: 'text', width: 12, value: (x) => x.key },
    { header: `labour (${r.currency})`, type: 'money', value: (x) => x.labour },
    { header: `parts (${r.currency})`, type: 'money', value: (x) => x.parts },
    { header: `purchases (${r.currency})`, type: 'money', value: (x) => x.purchases },
    { header: `total (${r.currency})`, type: 'money', value: (x) => x.total },
  ];
  return fileOf(format, {
    sheet: 'Costs',
    caption: [
      `Costs by ${r.groupBy}${r.parent ? ` below ${r.parent.name}` : ''}, ${r.from} to ${r.to}; purchases by ${r.purchases} quantity`,
    ],
    columns,
    batches: [r.rows],
    totals: {
      [r.groupBy]: 'Total',
      [`labour (${r.currency})`]: r.totals.labour,
      [`parts (${r.currency})`]: r.totals.parts,
      [`purchases (${r.currency})`]: r.totals.purchases,
      [`total (${r.currency})`]: r.totals.total,
    },
  });
}

export function costLinesFile(format: Format, first: IteratorResult<CostLine[]>, rest: AsyncIterable<CostLine[]>): Promise<Readable> {
  async function* all() {
    if (!first.done) yield first.value;
    yield* rest;
  }
  return fileOf(format, {
    sheet: 'Cost lines',
    columns: [
      { header: 'at', type: 'date', value: (x: CostLine) => new Date(x.at) },
      { header: 'source', type: 'text', width: 12, value: (x) => x.source },
      { header: 'description', type: 'text', width: 40, value: (x) => x.description },
      { header: 'quantity', type: 'number', value: (x) => x.quantity },
      { header: 'amount', type: 'money', value: (x) => x.amount },
      { header: 'ticket', type: 'number', width: 10, value: (x) => x.ticketNumber },
      { header: 'purchase order', type: 'text', width: 16, value: (x) => x.purchaseOrder?.number ?? null },
      { header: 'person', type: 'text', value: (x) => x.person },
      { header: 'id', type: 'text', width: 10, value: (x) => x.id },
    ],
    batches: all(),
  });
}

export function ticketFile(format: Format, r: TicketReport): Promise<Readable> {
  type Row = TicketReport['rows'][number];
  const columns: Array<Column<Row>> = [
    { header: r.groupBy, type: 'text', width: 28, value: (x) => x.label },
    { header: 'created', type: 'number', value: (x) => x.count },
    { header: 'open', type: 'number', value: (x) => x.open },
    { header: 'backlog age (days, avg)', type: 'number', width: 22, value: (x) => x.backlogAgeDaysAvg },
    { header: 'first response (min, avg)', type: 'number', width: 22, value: (x) => x.firstResponseMinutesAvg },
    { header: 'resolution (min, avg)', type: 'number', width: 22, value: (x) => x.resolutionMinutesAvg },
    { header: 'SLA met', type: 'number', value: (x) => x.slaMet },
    { header: 'SLA breached', type: 'number', value: (x) => x.slaBreached },
  ];
  const t = r.totals;
  return fileOf(format, {
    sheet: 'Tickets',
    caption: [`Tickets created ${r.from} to ${r.to}, by ${r.groupBy}`],
    columns,
    batches: [r.rows],
    totals: {
      [r.groupBy]: 'Total',
      created: t.count,
      open: t.open,
      'backlog age (days, avg)': t.backlogAgeDaysAvg ?? '',
      'first response (min, avg)': t.firstResponseMinutesAvg ?? '',
      'resolution (min, avg)': t.resolutionMinutesAvg ?? '',
      'SLA met': t.slaMet,
      'SLA breached': t.slaBreached,
    },
  });
}

export function reliabilityFile(format: Format, r: ReliabilityReport): Promise<Readable> {
  type Row = ReliabilityReport['rows'][number];
  return fileOf(format, {
    sheet: 'Reliability',
    caption: [`Asset reliability ${r.from} to ${r.to}`],
    columns: [
      { header: 'tag', type: 'text', width: 14, value: (x: Row) => x.tag },
      { header: 'asset', type: 'text', width: 32, value: (x) => x.name },
      { header: 'category', type: 'text', width: 20, value: (x) => x.category?.name ?? null },
      { header: 'failures', type: 'number', value: (x) => x.failures },
      { header: 'downtime (min)', type: 'number', value: (x) => x.downtimeMinutes },
      { header: 'MTBF (h)', type: 'number', value: (x) => x.mtbfHours },
      { header: 'MTTR (h)', type: 'number', value: (x) => x.mttrHours },
    ],
    batches: [r.rows],
  });
}

// Supply requests: a `supply` ticket with its lines of parts, the requester's catalogue, fulfilment.
import { z } from 'zod';
import { idString, listQuery, page, ref } from './common.js';
import { ticket } from './tickets.js';

export const supplyLine = z.object({
  id: z.string(),
  part: z.object({ id: z.string(), sku: z.string(), name: z.string(), unit: z.string() }),
  quantity: z.number(),
  issuedQuantity: z.number(),
  /** Stock on hand over all locations, and per location. */
  available: z.number(),
  stock: z.array(z.object({ location: ref, quantity: z.number() })),
});
export type SupplyLine = z.infer<typeof supplyLine>;
export const ticketWithLines = z.object({
  ticket,
  can: z.record(z.string(), z.union([z.boolean(), z.array(z.string())])),
  lines: z.array(supplyLine),
});

const quantity = z
  .number()
  .positive()
  .max(1e6)
  .refine((n) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6, 'at most three decimals');

export const supplyRequestBody = z.object({
  title: z.string().trim().max(300).optional(),
  description: z.string().max(100_000).optional(),
  categoryId: idString.nullish(),
  lines: z
    .array(z.object({ partId: idString, quantity }))
    .min(1, 'ask for at least one part')
    .max(50),
});
export type SupplyRequestInput = z.input<typeof supplyRequestBody>;
export const supplyCatalogueQuery = listQuery.extend({ q: z.string().trim().max(200).optional() });
export const supplyPart = z.object({ id: z.string(), sku: z.string(), name: z.string(), unit: z.string(), available: z.number() });
export type SupplyPart = z.infer<typeof supplyPart>;
export const supplyCatalogue = page(supplyPart);
export const supplyOfTicket = z.object({ items: z.array(supplyLine), can: z.object({ fulfil: z.boolean() }) });
export type SupplyOfTicket = z.infer<typeof supplyOfTicket>;
export const fulfilBody = z.object({ locationId: idString });

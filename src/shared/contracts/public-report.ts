// The public QR report page (no login).
import { z } from 'zod';

// Any string: a malformed token is just another unknown one (404, never a 400 that tells them apart).
export const publicTokenParam = z.object({ token: z.string().max(200) });
export const publicAsset = z.object({ asset: z.object({ name: z.string(), location: z.string().nullable() }) });
export type PublicAsset = z.infer<typeof publicAsset>;
export const publicReportAnswer = z.object({ ticketNumber: z.number() });

import { customType } from 'drizzle-orm/pg-core';

/** Raw bytes (logos, a finalised PO's PDF, mail attachments); drizzle has no built-in bytea column. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

// Creates a new embedded database directory (PGlite's initdb) in a process of its own and exits.
// Run by openPglite() before it opens a directory for the first time: initdb is a WebAssembly
// instance of its own whose memory a long-running server would otherwise keep resident for minutes
// (~150–450 MB more idle memory after the very first start; docs/PERFORMANCE.md, "Embedded mode").
//   node src/server/platform/pglite-init.mjs <data directory>
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: pglite-init.mjs <directory>');
  process.exit(2);
}
const db = await PGlite.create(dir);
await db.close();

#!/usr/bin/env node
// The `steward` command. TypeScript sources run through tsx, so there is no separate build step
// for the server.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { main } = await import(pathToFileURL(resolve(root, 'src/server/cli/index.ts')).href);
await main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});

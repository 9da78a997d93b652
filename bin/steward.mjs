#!/usr/bin/env node
// The `steward` command: plain Node running the compiled server in dist/server. In a checkout it
// first rebuilds what its sources have outdated (scripts/build.mjs), so no command runs stale code;
// `serve --build-if-needed` (npm start) does the same for the web client. An image ships only dist/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);

try {
  if (existsSync(path.join(root, 'scripts/build.mjs')) && existsSync(path.join(root, 'src/server'))) {
    const build = await import(pathToFileURL(path.join(root, 'scripts/build.mjs')).href);
    if (argv[0] === 'serve' && argv.includes('--build-if-needed')) build.ensureWebBuilt(root);
    await build.ensureServerBuilt(root);
  }
  const entry = path.join(root, 'dist/server/steward.js');
  if (!existsSync(entry)) {
    console.error('steward: dist/server is missing; run `npm run build` first');
    process.exit(1);
  }
  const { main } = await import(pathToFileURL(entry).href);
  await main(argv);
} catch (error) {
  console.error(error);
  process.exit(1);
}

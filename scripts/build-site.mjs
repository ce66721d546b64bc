// Lays out target/site from the client's built files; scripts/build runs it.
//
// - The JavaScript glue and the stylesheet are minified (esbuild, from end2end's npm packages).
// - The client's files are named by their content (`etape.<hash>.js|wasm|css`), so browsers
//   may keep them for a year; the hashes go to `hash.txt` beside the server binary, where
//   leptos reads them to write the page's links (`js: …`, `wasm: …`, `css: …`).
// - Each of them gets a `.gz` and a `.br` copy: the server sends those as they are.
// - The public files (favicon, robots.txt) are copied to the site's root.
// - The door scanner's client (`--door-web`, with the WebAssembly and its glue from `--door`)
//   goes to `door/` under its own fixed names: the /door page and its service worker name them,
//   and they are revalidated on every visit rather than hashed (see server/src/startup.rs).
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const { values: args } = parseArgs({
  options: {
    js: { type: 'string' },
    wasm: { type: 'string' },
    css: { type: 'string' },
    public: { type: 'string' },
    site: { type: 'string' },
    pkg: { type: 'string' },
    'hash-file': { type: 'string' },
    door: { type: 'string' },
    'door-web': { type: 'string' },
  },
});
for (const name of ['js', 'wasm', 'css', 'public', 'site', 'pkg', 'hash-file', 'door', 'door-web']) {
  if (!args[name]) {
    console.error(`build-site: missing --${name}`);
    process.exit(2);
  }
}

const require = createRequire(resolve('end2end/package.json'));
const esbuild = require('esbuild');

// Browsers of the last few years; syntax newer than these is lowered.
const browsers = ['chrome109', 'edge109', 'firefox115', 'safari15.6'];

const minified = (file, loader) =>
  esbuild.transformSync(readFileSync(file, 'utf8'), {
    loader,
    format: loader === 'js' ? 'esm' : undefined,
    minify: true,
    target: loader === 'js' ? ['es2020', ...browsers] : browsers,
  }).code;
const js = minified(args.js, 'js');
const css = minified(args.css, 'css');
const wasm = readFileSync(args.wasm);

// 16 bytes of SHA-256 in base64url: short, safe in a URL and a file name.
const hashOf = (bytes) => createHash('sha256').update(bytes).digest('base64url').slice(0, 22);

const pkgDir = join(args.site, args.pkg);
// Files of earlier builds go: only what the pages of this build link to is served.
rmSync(pkgDir, { recursive: true, force: true });
mkdirSync(pkgDir, { recursive: true });
cpSync(args.public, args.site, { recursive: true });

const lines = [];
// A file and its .gz and .br copies, which the server sends as they are.
function writeCompressed(file, bytes) {
  writeFileSync(file, bytes);
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  writeFileSync(
    `${file}.br`,
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  );
  console.log(`build-site: ${file} ${bytes.length} bytes`);
}

for (const [kind, bytes] of [['js', Buffer.from(js)], ['wasm', wasm], ['css', Buffer.from(css)]]) {
  const hash = hashOf(bytes);
  writeCompressed(join(pkgDir, `etape.${hash}.${kind}`), bytes);
  lines.push(`${kind}: ${hash}`);
}

const doorDir = join(args.site, 'door');
rmSync(doorDir, { recursive: true, force: true });
mkdirSync(doorDir, { recursive: true });
for (const [name, bytes] of [
  ['scanner.js', minified(join(args['door-web'], 'scanner.js'), 'js')],
  ['sw.js', minified(join(args['door-web'], 'sw.js'), 'js')],
  ['scanner.css', minified(join(args['door-web'], 'scanner.css'), 'css')],
  ['manifest.webmanifest', readFileSync(join(args['door-web'], 'manifest.webmanifest'))],
  ['door.js', minified(join(args.door, 'door.js'), 'js')],
  ['door.wasm', readFileSync(join(args.door, 'door.wasm'))],
]) {
  writeCompressed(join(doorDir, name), Buffer.from(bytes));
}
writeFileSync(args['hash-file'], `${lines.join('\n')}\n`);
console.log(`build-site: ${args['hash-file']}`);

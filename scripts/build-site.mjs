// Lays out target/site from the client's built files; scripts/build runs it.
//
// - The JavaScript glue and the stylesheet are minified (esbuild, from end2end's npm packages).
// - The client's files are named by their content (`etape.<hash>.js|wasm|css`), so browsers
//   may keep them for a year; the hashes go to `hash.txt` beside the server binary, where
//   leptos reads them to write the page's links (`js: …`, `wasm: …`, `css: …`).
// - Each of them gets a `.gz` and a `.br` copy: the server sends those as they are.
// - The public files (favicon, robots.txt) are copied to the site's root.
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
  },
});
for (const name of ['js', 'wasm', 'css', 'public', 'site', 'pkg', 'hash-file']) {
  if (!args[name]) {
    console.error(`build-site: missing --${name}`);
    process.exit(2);
  }
}

const require = createRequire(resolve('end2end/package.json'));
const esbuild = require('esbuild');

// Browsers of the last few years; syntax newer than these is lowered.
const browsers = ['chrome109', 'edge109', 'firefox115', 'safari15.6'];

const js = esbuild.transformSync(readFileSync(args.js, 'utf8'), {
  loader: 'js',
  format: 'esm',
  minify: true,
  target: ['es2020', ...browsers],
}).code;
const css = esbuild.transformSync(readFileSync(args.css, 'utf8'), {
  loader: 'css',
  minify: true,
  target: browsers,
}).code;
const wasm = readFileSync(args.wasm);

// 16 bytes of SHA-256 in base64url: short, safe in a URL and a file name.
const hashOf = (bytes) => createHash('sha256').update(bytes).digest('base64url').slice(0, 22);

const pkgDir = join(args.site, args.pkg);
// Files of earlier builds go: only what the pages of this build link to is served.
rmSync(pkgDir, { recursive: true, force: true });
mkdirSync(pkgDir, { recursive: true });
cpSync(args.public, args.site, { recursive: true });

const lines = [];
for (const [kind, bytes] of [['js', Buffer.from(js)], ['wasm', wasm], ['css', Buffer.from(css)]]) {
  const hash = hashOf(bytes);
  const file = join(pkgDir, `etape.${hash}.${kind}`);
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
  lines.push(`${kind}: ${hash}`);
  console.log(`build-site: ${file} ${bytes.length} bytes`);
}
writeFileSync(args['hash-file'], `${lines.join('\n')}\n`);
console.log(`build-site: ${args['hash-file']}`);

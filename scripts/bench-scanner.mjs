// Times the door scanner's `decode_frame` in headless Chromium; scripts/bench-scanner runs it.
// A small local server gives the page the built client (target/site/door/) and the frames.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    site: { type: 'string' },
    'frames-dir': { type: 'string' },
    expect: { type: 'string' },
    n: { type: 'string', short: 'n', default: '200' },
  },
});
const frames = Number(args.n);
const require = createRequire(resolve('end2end/package.json'));
const { chromium } = require('@playwright/test');

const types = { js: 'text/javascript', wasm: 'application/wasm', html: 'text/html', rgba: 'application/octet-stream' };
const page = `<!DOCTYPE html><meta charset="utf-8"><title>bench</title>
<script type="module">
import init, { decode_frame } from '/door/door.js';
await init({ module_or_path: '/door/door.wasm' });
async function frame(name) {
  return new Uint8Array(await (await fetch('/frames/' + name)).arrayBuffer());
}
async function time(rgba, n) {
  const times = [];
  let text = null;
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    text = decode_frame(rgba, 640, 480);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { text, median: times[Math.floor(n / 2)], p90: times[Math.floor(n * 0.9)] };
}
const n = ${frames};
window.result = { ticket: await time(await frame('ticket.rgba'), n), empty: await time(await frame('empty.rgba'), n) };
</script>`;

const server = createServer((request, response) => {
  const path = new URL(request.url, 'http://localhost').pathname;
  let file = null;
  if (path.startsWith('/door/')) file = join(args.site, path);
  if (path.startsWith('/frames/')) file = join(args['frames-dir'], path.slice('/frames/'.length));
  try {
    const body = path === '/' ? page : readFileSync(file);
    response.writeHead(200, { 'Content-Type': types[path === '/' ? 'html' : path.split('.').pop()] });
    response.end(body);
  } catch {
    response.writeHead(404);
    response.end();
  }
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => window.result, null, { timeout: 600_000 });
  const result = await tab.evaluate(() => window.result);
  if (result.ticket.text !== args.expect) {
    console.error(`bench-scanner: FAIL: the ticket frame read as ${JSON.stringify(result.ticket.text)}`);
    process.exitCode = 1;
  }
  if (result.empty.text != null) {
    console.error(`bench-scanner: FAIL: the empty frame read as ${JSON.stringify(result.empty.text)}`);
    process.exitCode = 1;
  }
  const ms = (value) => value.toFixed(1).padStart(6);
  console.log(`bench-scanner: decode_frame, 640×480 RGBA, ${frames} frames each, headless Chromium (WebAssembly)`);
  console.log(`  frame with a ticket's QR code: median ${ms(result.ticket.median)} ms, p90 ${ms(result.ticket.p90)} ms`);
  console.log(`  frame with no code:            median ${ms(result.empty.median)} ms, p90 ${ms(result.empty.p90)} ms`);
} finally {
  await browser.close();
  server.close();
}

import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium';
import { MAIL_SINK_PORT, startMailSink } from './mail_sink';

// Browser tests for Étape. scripts/test builds the release binary first
// (scripts/build); here Playwright starts it on port 3999 with a
// fresh SQLite database, which the server fills with the demo data on first start, and
// sends its emails to a real SMTP listener on port 3998 (mail_sink.ts).
//
// Never `npx playwright install`: we drive Debian's /usr/bin/chromium.

const repoRoot = path.resolve(__dirname, '..');
const port = 3999;
const baseURL = `http://127.0.0.1:${port}`;

// One fresh database directory per run. The config is evaluated again in each worker
// process; workers inherit the runner's environment, so they reuse the runner's directory.
if (!process.env.ETAPE_E2E_TMPDIR) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etape-e2e-'));
  process.env.ETAPE_E2E_TMPDIR = dir;
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  // Only the runner gets here: the server it starts sends its emails to this listener, which
  // keeps them in the run's directory for the specs to read (support.ts's `emailsTo`).
  startMailSink(path.join(dir, 'mail'));
}
const databaseUrl = `sqlite://${path.join(process.env.ETAPE_E2E_TMPDIR, 'e2e.db')}?mode=rwc`;
// The master key that database is sealed with, beside it; the `etape` commands the tests run
// inherit it from this environment.
process.env.ETAPE_MASTER_KEY_FILE = path.join(process.env.ETAPE_E2E_TMPDIR, 'master.key');

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    locale: 'fr-FR', // the site picks its language from Accept-Language; French is the default
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
      },
    },
  ],
  webServer: {
    // The binary built by scripts/build; run from the repository root
    // so that LEPTOS_SITE_ROOT (target/site) resolves.
    command: './target/release/etape serve',
    cwd: repoRoot,
    env: {
      DATABASE_URL: databaseUrl,
      ETAPE_MASTER_KEY_FILE: process.env.ETAPE_MASTER_KEY_FILE,
      ETAPE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: 'target/site',
      ETAPE_LOG: process.env.ETAPE_LOG ?? 'info',
      // register_attendee fills a stage from one address; the limits have their own
      // integration tests (server/tests/it/registering.rs).
      ETAPE_REGISTRATION_RATE: '0',
      SMTP_URL: `smtp://127.0.0.1:${MAIL_SINK_PORT}`,
    },
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});

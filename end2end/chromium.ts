// How the browser tests start Debian's Chromium (never `npx playwright install`), shared by
// playwright.config.ts and the specs that add flags of their own (door_check_in's fake camera).
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

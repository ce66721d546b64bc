import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../chromium';
import { expect, test } from './support';

// The door scanner with a camera: Chromium's fake camera plays a video file (y4m) made from
// the QR code of a ticket registered through the site, as the door phone's camera would see
// it held up. Door links are made with the `etape` command, as an organiser could.
// Lille: a stage no other spec fills (register_attendee fills Lyon's seats).
const STAGE = '/social-good-week-demo/lille';
const EDITION = 'social-good-week-demo';
const repoRoot = path.resolve(__dirname, '../..');
const camera = path.join(process.env.ETAPE_E2E_TMPDIR ?? '/tmp', 'door-camera.y4m');
const WIDTH = 640;
const HEIGHT = 480;

// Chromium reads the file each time a page opens the camera; until a ticket is shown, grey.
writeFrame(new Uint8Array(WIDTH * HEIGHT * 4).fill(200));

test.use({
  launchOptions: {
    executablePath: CHROMIUM,
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${camera}`,
    ],
  },
});

test.describe.configure({ mode: 'serial' });

/** One RGBA frame as a one-frame y4m video (4:2:0), which Chromium's fake camera loops. */
function writeFrame(rgba: Uint8Array) {
  const y = Buffer.alloc(WIDTH * HEIGHT);
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128); // grey: no colour
  for (let i = 0; i < WIDTH * HEIGHT; i++) {
    y[i] = Math.round(0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2]);
  }
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\nFRAME\n`);
  fs.writeFileSync(camera, Buffer.concat([header, y, chroma, chroma]));
}

/** Puts the ticket page's own QR image in front of the camera. */
async function showTicket(page: Page, ticketPath: string) {
  await page.goto(ticketPath);
  const qr = page.getByRole('img', { name: 'Code QR du billet' });
  await expect(qr).toBeVisible();
  const pixels = await qr.evaluate(
    (img: HTMLImageElement, [width, height]) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#f0f0f0';
      context.fillRect(0, 0, width, height);
      const side = 300;
      context.drawImage(img, (width - side) / 2, (height - side) / 2, side, side);
      return Array.from(context.getImageData(0, 0, width, height).data);
    },
    [WIDTH, HEIGHT],
  );
  writeFrame(Uint8Array.from(pixels));
}

/** Registers through the site's form; answers the ticket page's path. */
async function register(request: APIRequestContext, name: string, email: string) {
  const response = await request.post(`${STAGE}/register`, {
    form: { name, email, consent: 'true' },
    maxRedirects: 0,
  });
  expect(response.status(), await response.text()).toBe(303);
  const manage = await (await request.get(response.headers()['location'])).text();
  const ticket = manage.match(/href="(\/tickets\/[A-Za-z0-9_-]+)"/);
  expect(ticket, 'the registration page links to the ticket').not.toBeNull();
  return ticket![1];
}

/** Runs the `etape` command against the test server's database. */
function etape(...args: string[]) {
  return execFileSync('./target/release/etape', args, {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${path.join(process.env.ETAPE_E2E_TMPDIR!, 'e2e.db')}?mode=rwc`,
      ETAPE_LOG: 'warn',
    },
  });
}

function makeDoor(label: string) {
  const printed = etape('door-link', 'create', EDITION, 'lille', '--label', label);
  const secret = printed.match(/^(door_[A-Za-z0-9_-]+)$/m);
  expect(secret, printed).not.toBeNull();
  return secret![1];
}

async function openDoor(browser: Browser, secret: string): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({ permissions: ['camera'], viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`/door#${secret}`);
  await expect(page.locator('body')).toHaveAttribute('data-door', 'ready');
  // The secret leaves the address bar once the phone keeps it.
  expect(page.url()).not.toContain(secret);
  return [context, page];
}

/** The public pages' bar: no serious or critical WCAG 2 A/AA violation (accessibility.spec.ts). */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `[${v.impact}] ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(blocking, 'axe found violations on the door page').toEqual([]);
}

async function doorState(request: APIRequestContext, secret: string) {
  const response = await request.get('/api/v1/door', { headers: { Authorization: `Bearer ${secret}` } });
  expect(response.status()).toBe(200);
  return response.json();
}

test('a ticket held up to the camera is admitted, then refused at a second door', async ({ browser, page, request }) => {
  const main = makeDoor('Entrée principale');
  const side = makeDoor('Porte latérale');
  await showTicket(page, await register(request, 'Aïcha Benali', 'aicha.benali@example.org'));

  const [first, door] = await openDoor(browser, main);
  await expect(door.locator('#door-result')).toHaveAttribute('data-result', 'admitted');
  await expect(door.locator('#door-result')).toContainText('Entrée validée');
  await expect(door.locator('#door-result')).toContainText('Aïcha Benali');
  await expect(door.locator('#door-count')).toHaveText(/^1 entrées sur \d+ confirmées$/);
  // Still in front of the camera: not counted again.
  await door.waitForTimeout(1500);
  expect((await doorState(request, main)).counts.doors).toContainEqual({ door: 'Entrée principale', checked_in: 1 });

  const [second, other] = await openDoor(browser, side);
  await expect(other.locator('#door-last')).toHaveAttribute('data-result', 'already_checked_in');
  await expect(other.locator('#door-last')).toContainText('Déjà entré·e');
  await expect(other.locator('#door-last')).toContainText('Entrée principale');

  // Revoked, the side door says so at once and checks nothing more.
  etape('door-link', 'revoke', EDITION, 'lille', 'Porte latérale');
  await other.reload();
  await expect(other.getByRole('alert')).toContainText("n'est plus valable");
  await first.close();
  await second.close();
});

test('a ticket scanned offline is kept through a reload and sent once when back online', async ({ browser, page, request }) => {
  const secret = makeDoor('Entrée du soir');
  const ticket = await register(request, 'Bruno Lefèvre', 'bruno.lefevre@example.org');
  writeFrame(new Uint8Array(WIDTH * HEIGHT * 4).fill(200));

  const [context, opened] = await openDoor(browser, secret);
  let door = opened;
  // The service worker keeps the page and its client for the offline visit.
  await door.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await door.reload();
  await expect(door.locator('body')).toHaveAttribute('data-door', 'ready');
  await expect.poll(() => door.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);

  // The ticket goes in front of the camera while no door page is open: a page still open
  // could scan it online, before going offline.
  await context.setOffline(true);
  await door.close();
  await showTicket(page, ticket);
  door = await context.newPage();
  await door.goto('/door');
  await expect(door.locator('body')).toHaveAttribute('data-door', 'ready');
  await expect(door.locator('#door-online')).toHaveAttribute('data-state', 'offline');
  await expect(door.locator('#door-last')).toHaveAttribute('data-result', 'admitted');
  await expect(door.locator('#door-last')).toContainText('Bruno Lefèvre');
  await expect(door.locator('#door-pending')).toHaveAttribute('data-count', '1');

  // Nothing is lost by a reload while offline. (Whether the server heard of it meanwhile is
  // not asserted: Playwright's offline mode lets a request through now and then once a service
  // worker controls the page. The page then still queues it, and the resend counts once below.)
  writeFrame(new Uint8Array(WIDTH * HEIGHT * 4).fill(200));
  await door.reload();
  await expect(door.locator('#door-pending')).toHaveAttribute('data-count', '1');

  await context.setOffline(false);
  await expect(door.locator('#door-pending')).toHaveAttribute('data-count', '0', { timeout: 15_000 });
  await expect(door.locator('#door-online')).toHaveAttribute('data-state', 'online');
  const state = await doorState(request, secret);
  const bruno = state.attendees.find((a: { name: string }) => a.name === 'Bruno Lefèvre');
  expect(bruno.checked_in_at).toBeTruthy();
  expect(bruno.door).toBe('Entrée du soir');
  expect(state.counts.doors).toContainEqual({ door: 'Entrée du soir', checked_in: 1 });
  await context.close();
});

test('a person is found by name and checked in by hand, and a typed code is checked', async ({ browser, request }) => {
  const secret = makeDoor('Accueil');
  await register(request, 'Chloé Moreau', 'chloe.moreau@example.org');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const door = await context.newPage();
  await door.goto(`/door#${secret}`);
  await expect(door.locator('body')).toHaveAttribute('data-door', 'ready');
  await door.getByLabel('Chercher une personne inscrite').fill('chloe');
  await expectAccessible(door);
  await door.getByRole('button', { name: 'Faire entrer Chloé Moreau' }).click();
  await expect(door.locator('#door-last')).toHaveAttribute('data-result', 'admitted');
  // The door's counter moves at once, well before the next refresh (every 5 s).
  await expect(door.locator('#door-per-door')).toContainText('Accueil — 1 entrées', { timeout: 2000 });
  await expect(door.getByRole('status')).toBeVisible();
  await expectAccessible(door);
  await door.getByLabel('Code du billet').fill('ET1-not-a-ticket');
  await door.getByRole('button', { name: 'Vérifier ce code' }).click();
  await expect(door.locator('#door-last')).toHaveAttribute('data-result', 'invalid');
  await context.close();
});

test('the saved ticket image holds the signed code, and a short code typed at the door lets in, offline too', async ({ browser, request }) => {
  const secret = makeDoor('Guichet');
  const denis = await register(request, 'Denis Ferrand', 'denis.ferrand@example.org');
  const emma = await register(request, 'Emma Girard', 'emma.girard@example.org');
  const farah = await register(request, 'Farah Nassar', 'farah.nassar@example.org');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();

  // The ticket page: its short code, and its image to save.
  const shortCode = async (ticket: string) => {
    await page.goto(ticket);
    const code = (await page.locator('.ticket-code-value').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    return code;
  };
  const denisCode = await shortCode(denis);
  const save = page.getByRole('link', { name: 'Enregistrer mon billet (image)' });
  await expect(save).toHaveAttribute('download', 'billet-lille.png');
  // Decoded in the page by the door's own decoder (rqrr, in WebAssembly).
  const image = await page.evaluate(async (href) => {
    const load = (url: string) => import(url);
    const door = await load('/door/door.js');
    await door.default({ module_or_path: '/door/door.wasm' });
    const img = new Image();
    img.src = href;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(img, 0, 0);
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    return { text: door.decode_frame(new Uint8Array(rgba.buffer), canvas.width, canvas.height), width: img.naturalWidth, height: img.naturalHeight };
  }, (await save.getAttribute('href'))!);
  expect(image.text).toMatch(/^ET1[A-Za-z0-9_-]{130}$/);
  // Portrait: the QR code, then the words under it.
  expect(image.height).toBeGreaterThan(image.width);
  const answer = await request.post('/api/v1/checkins', {
    headers: { Authorization: `Bearer ${secret}` },
    data: { code: image.text },
  });
  expect(await answer.json()).toMatchObject({ result: 'admitted', attendee: { name: 'Denis Ferrand' } });

  const emmaCode = await shortCode(emma);
  const farahCode = await shortCode(farah);
  const door = await context.newPage();
  await door.goto(`/door#${secret}`);
  await expect(door.locator('body')).toHaveAttribute('data-door', 'ready');
  // Typed as a hurried person reads it out: lower case, a space for the dash.
  const typeCode = async (code: string) => {
    await door.getByLabel('Code du billet').fill(code.toLowerCase().replace('-', ' '));
    await door.getByRole('button', { name: 'Vérifier ce code' }).click();
  };
  await typeCode(emmaCode);
  await expect(door.locator('#door-last')).toHaveAttribute('data-result', 'admitted');
  await expect(door.locator('#door-last')).toContainText('Emma Girard');
  await typeCode(denisCode);
  await expect(door.locator('#door-last')).toHaveAttribute('data-result', 'already_checked_in');

  // Offline, the door finds the code in its own list and decides on its own.
  await context.setOffline(true);
  await typeCode(farahCode);
  await expect(door.locator('#door-last')).toHaveAttribute('data-result', 'admitted');
  await expect(door.locator('#door-last')).toContainText('Farah Nassar');
  await context.setOffline(false);
  await expect
    .poll(async () => (await doorState(request, secret)).attendees.find((a: { name: string }) => a.name === 'Farah Nassar').checked_in_at, { timeout: 15_000 })
    .toBeTruthy();
  await context.close();
});

import type { APIRequestContext } from '@playwright/test';
import ICAL from 'ical.js';
import { expect, test } from './support';

// The calendar links on the pages lead to feeds that a real calendar parser (Mozilla's
// ical.js, as in Thunderbird) reads, with the times the pages show.
const EDITION = '/social-good-week-demo';
const PARIS = `${EDITION}/paris`;

/** What a calendar app fetches for a `webcal://` subscription. */
function overHttp(webcal: string): string {
  expect(webcal).toMatch(/^webcal:\/\//);
  return webcal.replace(/^webcal:\/\//, 'http://');
}

async function readFeed(request: APIRequestContext, url: string): Promise<ICAL.Component> {
  const response = await request.get(url);
  expect(response.status(), url).toBe(200);
  expect(response.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  const calendar = new ICAL.Component(ICAL.parse(await response.text()));
  expect(calendar.name).toBe('vcalendar');
  return calendar;
}

function events(calendar: ICAL.Component): ICAL.Event[] {
  return calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
}

test('the edition page subscribes to the edition and to each city', async ({ page, request }) => {
  await page.goto(EDITION);
  const header = page.locator('section.about');
  const subscribe = await header.locator('a.feed-subscribe').getAttribute('href');
  expect(subscribe).toMatch(/\/feeds\/social-good-week-demo\.ics$/);
  await expect(header.locator('a.feed-download')).toHaveAttribute(
    'href',
    '/feeds/social-good-week-demo.ics',
  );
  const edition = events(await readFeed(request, overHttp(subscribe!)));
  // One event per stage card on the page.
  await expect(page.locator('ul.cards > li')).toHaveCount(edition.length);

  const cityLinks = page.locator('ul.city-calendars a.feed-subscribe');
  expect(await cityLinks.count()).toBeGreaterThan(1);
  const paris = await page
    .locator('ul.city-calendars li', { hasText: 'Paris' })
    .locator('a.feed-subscribe')
    .getAttribute('href');
  const inParis = events(await readFeed(request, overHttp(paris!)));
  expect(inParis.length).toBeGreaterThan(0);
  for (const event of inParis) {
    expect(event.location).toContain('Paris');
  }
});

test('the stage page subscribes to its feed, whose times are the page\'s', async ({ page, request }) => {
  await page.goto(PARIS);
  const calendar = page.getByRole('region', { name: 'Ajouter à mon agenda' });
  const subscribe = await calendar.locator('a.feed-subscribe').getAttribute('href');
  const feed = await readFeed(request, overHttp(subscribe!));
  const all = events(feed);
  // Android's way in: Google Calendar's subscription to the same feed, and its https address.
  const google_subscribe = new URL((await calendar.getByRole('link', { name: "S'abonner dans Google Agenda (Android)" }).getAttribute('href'))!);
  expect(google_subscribe.searchParams.get('cid')).toBe(subscribe);
  const address = await calendar.locator('.feed-address input').inputValue();
  expect(address).toBe(subscribe!.replace(/^webcal:/, 'http:'));
  expect(events(await readFeed(request, address)).length).toBe(all.length);
  // A map link for the phone's own maps app, and OpenStreetMap.
  await expect(page.locator('a.map-app')).toHaveAttribute('href', /^geo:-?\d+\.\d+,-?\d+\.\d+\?q=/);
  // The stage, then each programme item as its own event.
  await expect(page.locator('ol.programme > li')).toHaveCount(all.length - 1);
  const stage = all.find((event) => event.uid.startsWith('stage.social-good-week-demo.paris@'))!;
  expect(stage.startDate.zone.tzid).toBe('Europe/Paris');
  expect(feed.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Europe/Paris');

  // The same instant as the one-click Google and Outlook links, which carry UTC.
  const google = new URL((await calendar.getByRole('link', { name: 'Ajouter à Google Agenda' }).getAttribute('href'))!);
  const [googleStart] = google.searchParams.get('dates')!.split('/');
  const utc = stage.startDate.toJSDate().toISOString(); // e.g. 2026-12-27T17:30:00.000Z
  expect(googleStart).toBe(utc.replace(/[-:]/g, '').replace('.000', ''));
  const outlook = new URL((await calendar.getByRole('link', { name: 'Ajouter à Outlook' }).getAttribute('href'))!);
  expect(outlook.searchParams.get('startdt')).toBe(utc.replace('.000', ''));

  // And the local time the page shows.
  const shown = await page.locator('dl.facts time').first().getAttribute('datetime');
  const local = stage.startDate.toString().slice(0, 16); // "2026-12-27T18:30"
  expect(local).toBe(shown);
});

test('my registration subscribes to my own feed; the ticket adds its stage', async ({ page, request }) => {
  const email = `abonnee-${Date.now()}@example.org`;
  const registered = await request.post(`${PARIS}/register`, {
    form: { name: 'Abonnée Agenda', email, consent: 'true' },
    maxRedirects: 0,
  });
  expect(registered.status()).toBe(303);
  await page.goto(registered.headers()['location']);
  const mine = page.getByRole('region', { name: 'Ajouter à mon agenda' });
  const subscribe = await mine.locator('a.feed-subscribe').getAttribute('href');
  expect(subscribe).toMatch(/\/feeds\/attendee\/[A-Za-z0-9_-]{96,}\.ics$/);
  const feed = events(await readFeed(request, overHttp(subscribe!)));
  expect(feed).toHaveLength(1);
  expect(feed[0].summary).toContain('Paris');
  expect(feed[0].component.getFirstPropertyValue('status')).toBe('CONFIRMED');

  await page.getByRole('link', { name: 'Voir mon billet' }).click();
  const onTicket = page.getByRole('region', { name: 'Ajouter à mon agenda' });
  const stageFeed = await onTicket.locator('a.feed-subscribe').getAttribute('href');
  expect(stageFeed).toMatch(/\/feeds\/social-good-week-demo\/stages\/paris\.ics$/);
  expect(events(await readFeed(request, overHttp(stageFeed!))).length).toBeGreaterThan(0);
});

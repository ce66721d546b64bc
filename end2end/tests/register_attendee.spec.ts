import type { APIRequestContext } from '@playwright/test';
import { expect, expectAccessible, hydrated, test } from './support';

// Registering on the Lyon stage of the upcoming demo edition (capacity 120), then the
// ticket, "my registration", cancelling, and the waiting list moving up.
const LYON = '/social-good-week-demo/lyon';

/** Registers through the plain form, as a browser without JavaScript would. */
async function registerByForm(request: APIRequestContext, name: string, email: string) {
  const response = await request.post(`${LYON}/register`, {
    form: { name, email, consent: 'true' },
    maxRedirects: 0,
  });
  expect(response.status(), await response.text()).toBe(303);
  const manage = response.headers()['location'];
  expect(manage).toMatch(/^\/registrations\/[A-Za-z0-9_-]{64}$/);
  return manage;
}

async function statusOf(request: APIRequestContext, manage: string): Promise<string> {
  const page = await (await request.get(manage)).text();
  const match = page.match(/data-status="(\w+)"/);
  expect(match, 'the page shows a status').not.toBeNull();
  return match![1];
}

test.describe.configure({ mode: 'serial' });

test('register on a phone-sized screen: errors take focus, then the same page as without JavaScript', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(LYON);
  await hydrated(page);
  // A mark that a reload would wipe out.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  const form = page.getByRole('region', { name: "S'inscrire" });
  await expect(form.getByRole('link', { name: /^Déjà inscrit·e\s\?\sRetrouver mon billet$/ })).toHaveAttribute('href', '/lost-link');
  await form.getByLabel('Nom et prénom', { exact: true }).fill('Camille Durand');
  await form.getByLabel('Adresse e-mail', { exact: true }).fill('camille@');
  await form.getByRole('button', { name: "M'inscrire" }).click();
  // Errors beside the fields and in a summary that takes focus, in French; nothing typed is lost.
  const summary = page.locator('#register-errors');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: /^Adresse e-mail\s:\sCette adresse e-mail n'est pas valide/ })).toHaveAttribute('href', '#reg-email');
  await expect(summary.getByRole('link', { name: /^Accord sur l'usage de vos données\s:\sCochez la case/ })).toBeVisible();
  await expect(page.locator('#reg-email-error')).toContainText("Cette adresse e-mail n'est pas valide");
  await expect(page.locator('#reg-consent-error')).toContainText('Cochez la case');
  await expect(form.getByLabel('Nom et prénom', { exact: true })).toHaveValue('Camille Durand');
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await expectAccessible(page, 'the form with errors');

  await form.getByLabel('Adresse e-mail', { exact: true }).fill('camille.durand@example.org');
  await form.getByRole('checkbox').check();
  await form.getByRole('button', { name: "M'inscrire" }).click();
  // The same ending as the plain form's: "my registration", which a reload shows again.
  await expect(page).toHaveURL(/\/registrations\/[A-Za-z0-9_-]{64}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mon inscription');
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'confirmed');
  await expect(page.getByRole('img', { name: 'Code QR du billet' })).toBeVisible();
  await page.reload();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'confirmed');
  await expectAccessible(page, 'my registration');

  await page.getByRole('link', { name: 'Voir mon billet' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Billet');
  await expect(page.getByText('Camille Durand')).toBeVisible();
  await expect(page.getByText('Vieux Lyon')).toBeVisible();
  const qr = page.getByRole('img', { name: 'Code QR du billet' });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.getByRole('link', { name: 'Ajouter à Google Agenda' })).toHaveAttribute(
    'href',
    /calendar\.google\.com.*dates=\d{8}T\d{6}Z\/\d{8}T\d{6}Z/,
  );
});

test('the ticket is kept: its code under the QR, a print of the ticket alone, and the page offline', async ({ browser, request }) => {
  const manage = await registerByForm(request, 'Farid Haddad', 'farid.haddad@example.org');
  const ticket = (await (await request.get(manage)).text()).match(/href="(\/tickets\/[A-Za-z0-9_-]{64})"/)![1];
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(ticket);
  await expect(page.locator('.ticket-code-value')).toHaveText(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  await expect(page.getByText("Si le code QR ne passe pas, donnez ce code à l'entrée.")).toBeVisible();
  await expect(page.getByRole('link', { name: 'Enregistrer mon billet (image)' })).toHaveAttribute('download', 'billet-lyon.png');
  await expect(page.getByRole('button', { name: 'Imprimer mon billet' })).toBeVisible();
  // Kept on the device once its service worker and cache are ready.
  await expect(page.getByText('Ce billet reste lisible sans réseau sur cet appareil')).toBeVisible();
  await expectAccessible(page, 'the ticket page');
  const kept = () =>
    page.evaluate(async () => (await (await caches.open('etape-tickets-v1')).keys()).map((r) => new URL(r.url).pathname));
  expect(await kept()).toEqual(expect.arrayContaining([ticket, `${ticket}/qr.svg`, '/ticket.js']));

  // Printed, the ticket alone: no site header, no buttons, no calendar.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.ticket-keep')).toBeHidden();
  await expect(page.locator('.calendar')).toBeHidden();
  await expect(page.locator('.ticket-code-value')).toBeVisible();
  await expect(page.locator('.ticket').getByText('Farid Haddad')).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // Without network, the same ticket, QR code included.
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('.ticket').getByText('Farid Haddad')).toBeVisible();
  const qr = page.getByRole('img', { name: 'Code QR du billet' });
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await context.setOffline(false);

  // Forgotten on request: nothing of this ticket stays on the device.
  await page.reload();
  await page.getByRole('button', { name: 'Oublier ce billet sur cet appareil' }).click();
  await expect(page.getByText("ce billet n'est plus gardé sur cet appareil")).toBeVisible();
  expect((await kept()).filter((path) => path.startsWith(ticket))).toEqual([]);
  await context.close();
});

test.describe('in English', () => {
  test.use({ locale: 'en-GB' });

  test('in English, errors take focus and read the English way', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(LYON);
    await hydrated(page);
    const form = page.getByRole('region', { name: 'Register' });
    await form.getByRole('button', { name: 'Register' }).click();
    const summary = page.locator('#register-errors');
    await expect(summary).toBeFocused();
    // No space before an English colon.
    await expect(summary.getByRole('link', { name: /^Email address: / })).toBeVisible();
    await expectAccessible(page, 'the English form with errors');
  });
});

test('cancelling takes a second step that says what happens', async ({ page, request }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const manage = await registerByForm(request, 'Dominique Martin', 'dominique@example.org');
  await page.goto(manage);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mon inscription');
  await expect(page.getByText('Confirmée')).toBeVisible();
  const ticketHref = await page.getByRole('link', { name: 'Voir mon billet' }).getAttribute('href');

  await page.getByRole('link', { name: 'Annuler mon inscription' }).click();
  await expect(page).toHaveURL(new RegExp(`${manage}/cancel$`));
  await expect(page.getByText("Votre place ira à la première personne en liste d'attente. Vous ne pourrez pas la récupérer.")).toBeVisible();
  await expectAccessible(page, 'the cancel step');
  // Changing one's mind changes nothing.
  await page.getByRole('link', { name: 'Non, ne rien changer' }).click();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'confirmed');

  await page.getByRole('link', { name: 'Annuler mon inscription' }).click();
  await page.getByRole('button', { name: 'Oui, annuler mon inscription' }).click();
  await expect(page.getByText("C'est fait : votre inscription est annulée.")).toBeVisible();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByRole('link', { name: "M'inscrire à nouveau" })).toHaveAttribute('href', `${LYON}#register`);
  await expectAccessible(page, 'my cancelled registration');

  await page.goto(ticketHref!);
  await expect(page.getByText("Ce billet est annulé")).toBeVisible();
  await expect(page.getByRole('img', { name: 'Code QR du billet' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Ajouter à mon agenda' })).toHaveCount(0);
});

test('a full stage says so before typing; when a seat frees up, the first person waiting is told', async ({ page, request }) => {
  // Fill the stage until someone lands on the waiting list.
  let lastConfirmed = '';
  let firstWaiting = '';
  for (let n = 0; n < 200 && !firstWaiting; n++) {
    const manage = await registerByForm(request, `Personne ${n}`, `personne${n}@example.org`);
    if ((await statusOf(request, manage)) === 'waitlisted') firstWaiting = manage;
    else lastConfirmed = manage;
  }
  expect(firstWaiting, 'the stage filled up').not.toBe('');
  const secondWaiting = await registerByForm(request, 'Encore quelqu’un', 'encore@example.org');

  await page.setViewportSize({ width: 390, height: 844 });
  // The page and its seat counts may be up to a second old (the page cache, the counts'
  // cache): a second later, with a new query string, the look is fresh.
  await page.waitForTimeout(1100);
  await page.goto(`${LYON}?full`);
  await expect(page.getByText("Complet · liste d'attente (2 personnes)")).toBeVisible();
  const form = page.getByRole('region', { name: "S'inscrire" });
  await expect(form.getByText("Complet : en vous inscrivant, vous rejoignez la liste d'attente derrière 2 personnes.")).toBeVisible();
  await expect(form.getByRole('button', { name: "Rejoindre la liste d'attente" })).toBeVisible();
  await expectAccessible(page, 'a full stage');

  await page.goto(firstWaiting);
  await expect(page.getByText("Vous êtes le premier ou la première sur la liste d'attente.")).toBeVisible();

  await page.goto(`${lastConfirmed}/cancel`);
  await page.getByRole('button', { name: 'Oui, annuler mon inscription' }).click();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'cancelled');
  // The seat went to the waiting list: registering again joins it.
  await expect(page.getByRole('link', { name: "Rejoindre la liste d'attente" })).toBeVisible();

  await page.goto(firstWaiting);
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'confirmed');
  await expect(page.getByText("Bonne nouvelle : une place s'est libérée pour vous.")).toBeVisible();
  await page.getByRole('link', { name: 'Voir mon billet' }).click();
  await expect(page.getByRole('img', { name: 'Code QR du billet' })).toBeVisible();
  expect(await statusOf(request, secondWaiting)).toBe('waitlisted');
});

test.describe('without JavaScript', () => {
  // By now the stage is full: the button joins the waiting list.
  const SUBMIT = /^(M'inscrire|Rejoindre la liste d'attente)$/;

  test.use({ javaScriptEnabled: false });

  test('a mistake comes back beside its field with everything typed', async ({ page }) => {
    await page.goto(LYON);
    const form = page.getByRole('region', { name: "S'inscrire" });
    await form.getByLabel('Nom et prénom', { exact: true }).fill('Alex Petit');
    await form.getByLabel('Organisation (facultatif)', { exact: true }).fill('Emmaüs Connect');
    await form.getByRole('checkbox').check();
    await form.getByRole('button', { name: SUBMIT }).click();
    // The answer comes back at the form, not at the top of the page.
    await expect(page).toHaveURL(/\/register#register$/);
    await expect(page.locator('#reg-email-error')).toHaveText('Indiquez votre adresse e-mail.');
    await expect(page.locator('#register-errors').getByRole('link', { name: /Adresse e-mail/ })).toHaveAttribute('href', '#reg-email');
    await expect(page.getByLabel('Nom et prénom', { exact: true })).toHaveValue('Alex Petit');
    await expect(page.getByLabel('Organisation (facultatif)', { exact: true })).toHaveValue('Emmaüs Connect');
    await expect(page.getByRole('checkbox')).toBeChecked();

    await page.getByLabel('Adresse e-mail', { exact: true }).fill('alex.petit@example.org');
    await page.getByRole('button', { name: SUBMIT }).click();
    // The browser keeps the form's `#register` through the redirect; the page has no such anchor.
    await expect(page).toHaveURL(/\/registrations\/[A-Za-z0-9_-]{64}(#register)?$/);
    await expect(page.getByText('Alex Petit')).toBeVisible();
    await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'waitlisted');
  });

  test('cancelling works in two steps without JavaScript too', async ({ page, request }) => {
    const manage = await registerByForm(request, 'Sans Script', 'sans.script@example.org');
    await page.goto(manage);
    await page.getByRole('link', { name: 'Annuler mon inscription' }).click();
    await page.getByRole('button', { name: 'Oui, annuler mon inscription' }).click();
    await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'cancelled');
  });
});

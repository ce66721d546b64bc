import type { APIRequestContext } from '@playwright/test';
import { expect, hydrated, test } from './support';

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
  expect(manage).toMatch(/^\/registrations\/[A-Za-z0-9_-]{43}$/);
  return manage;
}

async function statusOf(request: APIRequestContext, manage: string): Promise<string> {
  const page = await (await request.get(manage)).text();
  const match = page.match(/data-status="(\w+)"/);
  expect(match, 'the page shows a status').not.toBeNull();
  return match![1];
}

test.describe.configure({ mode: 'serial' });

test('register on a phone-sized screen without a reload, then see the ticket', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(LYON);
  await hydrated(page);
  // A mark that a reload would wipe out.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  const form = page.getByRole('region', { name: "S'inscrire" });
  await form.getByLabel('Nom et prénom', { exact: true }).fill('Camille Durand');
  await form.getByLabel('Adresse e-mail', { exact: true }).fill('camille@');
  await form.getByRole('button', { name: "M'inscrire" }).click();
  // Errors beside the fields, in French, and nothing typed is lost.
  await expect(form.getByText("Cette adresse e-mail n'est pas valide")).toBeVisible();
  await expect(form.getByText('Cochez la case')).toBeVisible();
  await expect(form.getByLabel('Nom et prénom', { exact: true })).toHaveValue('Camille Durand');

  await form.getByLabel('Adresse e-mail', { exact: true }).fill('camille.durand@example.org');
  await form.getByRole('checkbox').check();
  await form.getByRole('button', { name: "M'inscrire" }).click();
  await expect(form.getByRole('status')).toContainText('votre place est réservée');
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

  await form.getByRole('link', { name: 'Voir mon billet' }).click();
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

test('open the manage link and cancel: the ticket is no longer valid', async ({ page, request }) => {
  const manage = await registerByForm(request, 'Dominique Martin', 'dominique@example.org');
  await page.goto(manage);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mon inscription');
  await expect(page.getByText('Confirmée')).toBeVisible();
  const ticketHref = await page.getByRole('link', { name: 'Voir mon billet' }).getAttribute('href');

  await page.getByRole('button', { name: 'Annuler mon inscription' }).click();
  await expect(page.getByText('Votre inscription est annulée.')).toBeVisible();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'cancelled');

  await page.goto(ticketHref!);
  await expect(page.getByText("Ce billet est annulé")).toBeVisible();
  await expect(page.getByRole('img', { name: 'Code QR du billet' })).toHaveCount(0);
});

test('when a seat frees up, the first person waiting gets it', async ({ page, request }) => {
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

  await page.goto(firstWaiting);
  await expect(page.getByText("Vous êtes le premier ou la première sur la liste d'attente.")).toBeVisible();

  await page.goto(lastConfirmed);
  await page.getByRole('button', { name: 'Annuler mon inscription' }).click();
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'cancelled');

  await page.goto(firstWaiting);
  await expect(page.locator('[data-status]')).toHaveAttribute('data-status', 'confirmed');
  await page.getByRole('link', { name: 'Voir mon billet' }).click();
  await expect(page.getByRole('img', { name: 'Code QR du billet' })).toBeVisible();
  expect(await statusOf(request, secondWaiting)).toBe('waitlisted');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a mistake comes back beside its field with everything typed', async ({ page }) => {
    await page.goto(LYON);
    const form = page.getByRole('region', { name: "S'inscrire" });
    await form.getByLabel('Nom et prénom', { exact: true }).fill('Alex Petit');
    await form.getByLabel('Organisation (facultatif)', { exact: true }).fill('Emmaüs Connect');
    await form.getByRole('checkbox').check();
    await form.getByRole('button', { name: "M'inscrire" }).click();
    await expect(page.getByText('Indiquez votre adresse e-mail.')).toBeVisible();
    await expect(page.getByLabel('Nom et prénom', { exact: true })).toHaveValue('Alex Petit');
    await expect(page.getByLabel('Organisation (facultatif)', { exact: true })).toHaveValue('Emmaüs Connect');
    await expect(page.getByRole('checkbox')).toBeChecked();

    await page.getByLabel('Adresse e-mail', { exact: true }).fill('alex.petit@example.org');
    await page.getByRole('button', { name: "M'inscrire" }).click();
    await expect(page).toHaveURL(/\/registrations\/[A-Za-z0-9_-]{43}$/);
    await expect(page.getByText('Alex Petit')).toBeVisible();
  });
});

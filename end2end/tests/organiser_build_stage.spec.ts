import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import ICAL from 'ical.js';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { awaitEmailTo, expect, hydrated, test } from './support';

// From an administrator made on the command line to a published city stage built by its own
// team: the national team creates the edition and the Lille stage, invites Lille's organiser
// (the invitation is read as the test server's SMTP listener received it), who joins, builds the
// line-up, previews and publishes it; an attendee registers; the organiser moves the stage to
// the next evening and the attendee's own calendar feed follows. Every workspace page passes axe.
const repoRoot = path.resolve(__dirname, '..', '..');
const databaseFile = path.join(process.env.ETAPE_E2E_TMPDIR!, 'e2e.db');
const databaseUrl = `sqlite://${databaseFile}?mode=rwc`;
const ADMIN = `national-${Date.now()}@example.org`;
const ORGANISER = `lille-${Date.now()}@example.org`;
const PASSWORD = 'un mot de passe pour les tests';
const EDITION = 'automne-solidaire-2027';

async function expectNoBlockingViolation(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const blocking = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact ?? ''));
  expect(
    blocking.map((v) => `${v.impact}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

async function feedEvents(request: APIRequestContext, url: string): Promise<ICAL.Event[]> {
  const response = await request.get(url);
  expect(response.status(), url).toBe(200);
  const calendar = new ICAL.Component(ICAL.parse(await response.text()));
  return calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
}

async function logIn(page: Page, email: string) {
  await page.goto('/workspace/login');
  await expectNoBlockingViolation(page);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/workspace$/);
}

test.beforeAll(() => {
  execFileSync(path.join(repoRoot, 'target/release/etape'), ['admin', 'create', '--email', ADMIN, '--name', 'Équipe nationale'], {
    cwd: repoRoot,
    input: `${PASSWORD}\n`,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
});

test('the national team and a city team build, publish and move a stage', async ({ page, browser, request }) => {
  test.setTimeout(180_000);

  // The national team: an edition, then the Lille stage, as a draft.
  await logIn(page, ADMIN);
  await expectNoBlockingViolation(page);
  await page.getByRole('link', { name: 'Créer une édition' }).click();
  await expectNoBlockingViolation(page);
  await page.getByLabel("Nom de l'édition").fill('Automne solidaire 2027');
  await page.getByLabel("Numéro de l'édition").fill('1');
  await page.getByLabel('Premier jour').fill('2027-10-04');
  await page.getByLabel('Dernier jour').fill('2027-10-10');
  await page.getByLabel('Thème').fill('Le numérique qui relie');
  await page.getByRole('button', { name: "Créer l'édition en brouillon" }).click();
  await page.getByRole('button', { name: 'Publier « Automne solidaire 2027 »' }).click();
  await expect(page).toHaveURL(new RegExp(`published=${EDITION}$`));
  await expectNoBlockingViolation(page);
  await page.goto(`/workspace/editions/${EDITION}`);
  await expectNoBlockingViolation(page);
  await page.goto('/workspace');
  const desk = page.locator('section.edition-desk', { has: page.getByRole('heading', { name: 'Automne solidaire 2027' }) });
  await expect(desk.getByText("Aucune étape pour l'instant", { exact: false })).toBeVisible();
  await desk.getByRole('link', { name: 'Ajouter une étape' }).click();
  await expect(page).toHaveURL(new RegExp(`/workspace/editions/${EDITION}/stages/new$`));
  await expectNoBlockingViolation(page);
  await expect(page.getByLabel('Fuseau horaire')).toHaveValue('Europe/Paris');

  await page.getByLabel('Ville').fill('Lille');
  await page.getByLabel('Nom du lieu').fill('EuraTechnologies');
  await page.getByLabel('Adresse du lieu', { exact: true }).fill('165 avenue de Bretagne, 59000 Lille');
  await page.getByLabel('Début').fill('2027-10-07T18:30');
  await page.getByLabel('Fin', { exact: true }).fill('2027-10-07T17:00');
  await page.getByLabel("Thème ou question de l'étape").fill('Qui le numérique laisse-t-il de côté ?');
  await page.getByLabel('Nombre de places').fill('50');
  await page.getByRole('button', { name: "Créer l'étape en brouillon" }).click();
  await expect(page.getByRole('alert')).toContainText('La fin vient après le début.');
  await expect(page.getByLabel('Ville')).toHaveValue('Lille');
  await expectNoBlockingViolation(page);
  await page.getByLabel('Fin', { exact: true }).fill('2027-10-07T22:00');
  await page.getByRole('button', { name: "Créer l'étape en brouillon" }).click();
  await expect(page).toHaveURL(new RegExp(`/stages/lille\\?created$`));
  await expect(page.getByRole('status')).toContainText("L'étape de Lille est créée, en brouillon");
  await expectNoBlockingViolation(page);

  // The national team invites Lille's organiser.
  await page.goto(`/workspace/editions/${EDITION}/team`);
  await expectNoBlockingViolation(page);
  await page.getByLabel('Son adresse e-mail').fill(ORGANISER);
  await page.getByLabel('Pour').selectOption('lille');
  await page.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(page.getByRole('status')).toContainText('Invitation envoyée');
  await expect(page.getByText(ORGANISER, { exact: true })).toBeVisible();
  const invitation = (await awaitEmailTo(ORGANISER)).text.match(/\/workspace\/invitations\/[A-Za-z0-9_-]{43}/)?.[0];
  expect(invitation).toBeTruthy();

  // Lille's organiser joins, with a new account, on their own browser.
  const lille = await (await browser.newContext({ locale: 'fr-FR' })).newPage();
  await lille.goto(invitation!);
  await expect(lille.getByText("vous invite à organiser l'étape de Lille")).toBeVisible();
  await expectNoBlockingViolation(lille);
  await lille.getByLabel('Votre nom').fill('Inès Lille');
  await lille.getByLabel('Choisissez un mot de passe').fill(PASSWORD);
  await lille.getByRole('button', { name: "Créer mon compte et rejoindre l'équipe" }).click();
  await expect(lille).toHaveURL(/\/workspace\?joined$/);
  await expect(lille.locator('tr[data-stage="lille"]')).toBeVisible();
  await expect(lille.locator('tr[data-stage="paris"]')).toHaveCount(0);

  // The line-up: a speaker, a project with a skills need, three programme items.
  await lille.locator('tr[data-stage="lille"]').getByRole('link', { name: 'Lille' }).click();
  await lille.getByRole('link', { name: 'Programme et intervenants' }).click();
  await expectNoBlockingViolation(lille);
  const addSpeaker = lille.locator('details.add-piece', { hasText: 'Ajouter un intervenant' });
  await addSpeaker.locator('summary').click();
  await addSpeaker.getByLabel('Nom', { exact: true }).fill('Amina Diallo');
  await addSpeaker.getByLabel('Rôle (facultatif)').fill('Fondatrice, La Ruche Lille');
  await addSpeaker.getByLabel('Biographie (facultatif)').fill('Trois tiers-lieux **ouverts à tous**.');
  await addSpeaker.getByRole('button', { name: 'Ajouter' }).click();
  await expect(lille.getByRole('status')).toHaveText('Programme enregistré.');

  const addProject = lille.locator('details.add-piece', { hasText: 'Ajouter un projet' });
  await addProject.locator('summary').click();
  await addProject.getByLabel('Nom du projet').fill("Répar'Lille");
  await addProject.getByLabel('Porté par').fill('Association Rebond');
  await addProject.getByLabel('Description du projet').fill('Réparer plutôt que jeter.');
  await addProject.getByLabel('Compétences recherchées (facultatif)').fill('électronique, communication');
  await addProject.getByRole('button', { name: 'Ajouter' }).click();
  await expect(lille.getByRole('status')).toHaveText('Programme enregistré.');

  for (const [time, kind, title, who] of [
    ['2027-10-07T18:30', 'keynote', "Ouverture : qui reste à l'écart ?", 'Amina Diallo'],
    ['2027-10-07T19:15', 'pitch', "Répar'Lille", "Répar'Lille"],
    ['2027-10-07T20:00', 'networking', 'Rencontres', ''],
  ]) {
    const addItem = lille.locator('details.add-piece', { hasText: 'Ajouter un moment au programme' });
    await addItem.locator('summary').click();
    await addItem.getByLabel('Début').fill(time);
    await addItem.getByLabel('Durée, en minutes').fill('30');
    await addItem.getByLabel('Type').selectOption(kind);
    await addItem.getByLabel('Titre').fill(title);
    if (who) await addItem.getByLabel(who).check();
    await addItem.getByRole('button', { name: 'Ajouter' }).click();
    await expect(lille.getByRole('status')).toHaveText('Programme enregistré.');
  }
  await expect(lille.locator('ol.pieces li.piece')).toHaveCount(5);
  await expectNoBlockingViolation(lille);

  // The preview shows the public page before anyone else can.
  expect((await request.get(`/${EDITION}/lille`)).status()).toBe(404);
  await lille.getByRole('link', { name: 'Aperçu de la page publique' }).click();
  await expect(lille.locator('.preview-banner')).toContainText('Aperçu');
  await expect(lille.getByRole('heading', { level: 1 })).toHaveText('Lille');
  await expect(lille.locator('strong', { hasText: 'ouverts à tous' })).toBeVisible();
  await expectNoBlockingViolation(lille);

  // Published: on the public site, in its feed and in the API.
  await lille.getByRole('link', { name: "Revenir à l'étape" }).click();
  await lille.getByRole('button', { name: "Publier l'étape de Lille" }).click();
  await expect(lille.getByRole('status')).toContainText("L'étape de Lille est publiée");
  await expect.poll(async () => (await request.get(`/${EDITION}/lille`)).status(), { timeout: 5_000 }).toBe(200);
  const api = await request.get(`/api/v1/editions/${EDITION}/stages/lille`);
  expect(api.status()).toBe(200);
  expect(await api.json()).toMatchObject({ city: 'Lille', capacity: 50, registration_open: true });
  const stageFeed = await feedEvents(request, `/feeds/${EDITION}/stages/lille.ics`);
  expect(stageFeed.map((e) => e.summary)).toContain("Ouverture : qui reste à l'écart ? (Lille)");

  // An attendee registers and subscribes to their own feed.
  const registered = await request.post(`/${EDITION}/lille/register`, {
    form: { name: 'Nora Participante', email: `nora-${Date.now()}@example.org`, consent: 'true' },
    maxRedirects: 0,
  });
  expect(registered.status()).toBe(303);
  await page.goto(registered.headers()['location']);
  const own = await page.getByRole('region', { name: 'Ajouter à mon agenda' }).locator('a.feed-subscribe').getAttribute('href');
  const ownFeed = own!.replace(/^webcal:\/\//, 'http://');
  expect((await feedEvents(request, ownFeed))[0].startDate.toString()).toMatch(/^2027-10-07T18:30/);

  // The organiser moves the stage to the next evening: told before, done after.
  await lille.goto(`/workspace/editions/${EDITION}/stages/lille`);
  await expect(lille.getByText('la personne inscrite recevra un e-mail')).toBeVisible();
  await lille.getByLabel('Début').fill('2027-10-08T18:30');
  await lille.getByLabel('Fin', { exact: true }).fill('2027-10-08T22:00');
  await lille.getByRole('button', { name: "Enregistrer l'étape de Lille" }).click();
  await expect(lille).toHaveURL(/\?saved=1$/);
  await expect(lille.getByRole('status')).toContainText('La personne inscrite a reçu un e-mail');
  await expect
    .poll(async () => (await feedEvents(request, ownFeed))[0].startDate.toString(), { timeout: 5_000 })
    .toMatch(/^2027-10-08T18:30/);

  // The cancel step says what it would do; nothing is cancelled without its post.
  await lille.getByRole('link', { name: "Annuler l'étape" }).click();
  await expect(lille.getByRole('button', { name: "Annuler l'étape de Lille et prévenir la personne inscrite" })).toBeVisible();
  await expectNoBlockingViolation(lille);
  await lille.getByRole('link', { name: 'Ne pas annuler' }).click();
  await expect(lille.getByText('Publiée').first()).toBeVisible();
});

test('a hydrated workspace form says it is sending and submits once, however often it is pressed', async ({ page }) => {
  await logIn(page, ADMIN);
  await page.goto('/workspace/tokens');
  await hydrated(page);
  // The page counts the form's submissions and keeps them from leaving, so that what the
  // button shows in the meantime can be read.
  await page.evaluate(() => {
    const form = document.querySelector('form.stacked')!;
    (window as unknown as { submits: number }).submits = 0;
    form.addEventListener('submit', (event) => {
      (window as unknown as { submits: number }).submits += 1;
      event.preventDefault();
    });
  });
  await page.getByLabel('Nom du jeton').fill('import des étapes');
  await page.getByRole('button', { name: 'Créer le jeton' }).click();
  const sending = page.getByRole('button', { name: 'Envoi en cours…' });
  await expect(sending).toHaveAttribute('aria-busy', 'true');
  await sending.click();
  await sending.click();
  expect(await page.evaluate(() => (window as unknown as { submits: number }).submits)).toBe(1);
  await expectNoBlockingViolation(page);
});

test('a forgotten password is asked for and set again on pages that pass axe', async ({ page }) => {
  await page.goto('/workspace/password-reset');
  await expectNoBlockingViolation(page);
  await page.getByLabel('Adresse e-mail').fill(ADMIN);
  await page.getByRole('button', { name: "M'envoyer le lien" }).click();
  await expect(page.getByText('Si un compte utilise cette adresse')).toBeVisible();
  await expectNoBlockingViolation(page);
  const email = (await awaitEmailTo(ADMIN)).text;
  const link = email.match(/https?:\/\/\S+\/workspace\/password-reset\/[A-Za-z0-9_-]+/)?.[0];
  expect(link, email).toBeTruthy();
  await page.goto(new URL(link!).pathname);
  await expectNoBlockingViolation(page);
});

test('a stage that asks to confirm the address holds the seat until the emailed link is followed', async ({ page, browser }) => {
  test.setTimeout(90_000);
  // The organiser turns the mode on: a time too short is refused beside the field.
  await logIn(page, ADMIN);
  await page.goto(`/workspace/editions/${EDITION}/stages/lille`);
  const minutes = page.getByLabel("Confirmation de l'adresse e-mail (en minutes, facultatif)");
  await minutes.fill('5');
  await page.getByRole('button', { name: "Enregistrer l'étape de Lille" }).click();
  await expect(page.getByRole('alert')).toContainText('Le délai de confirmation va de 10 minutes à 10080 minutes');
  await expect(minutes).toHaveValue('5');
  await expectNoBlockingViolation(page);
  await minutes.fill('60');
  await page.getByRole('button', { name: "Enregistrer l'étape de Lille" }).click();
  // Saved, and nobody emailed: the time and place did not change.
  await expect(page).toHaveURL(/\?saved=0$/);
  await expect(minutes).toHaveValue('60');

  // An attendee registers on a phone: the seat is held, with no ticket yet.
  const phone = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const attendee = await phone.newPage();
  const address = `lea-${Date.now()}@example.org`;
  await attendee.goto(`/${EDITION}/lille`);
  await hydrated(attendee);
  const form = attendee.getByRole('region', { name: "S'inscrire" });
  await form.getByLabel('Nom et prénom', { exact: true }).fill('Léa Confirmée');
  await form.getByLabel('Adresse e-mail', { exact: true }).fill(address);
  await form.getByRole('checkbox').check();
  await form.getByRole('button', { name: "M'inscrire" }).click();
  await expect(attendee).toHaveURL(/\/registrations\/[A-Za-z0-9_-]{64}$/);
  await expect(attendee.getByText('Confirmez votre adresse e-mail avec le lien que nous vous avons envoyé')).toBeVisible();
  await expect(attendee.getByRole('img', { name: 'Code QR du billet' })).toHaveCount(0);
  await expectNoBlockingViolation(attendee);

  // The emailed link, opened on another device in English: the page changes nothing; its button confirms.
  const held = await awaitEmailTo(address);
  const confirm = held.text.match(/\/confirm\/[A-Za-z0-9_-]{43}/)?.[0];
  expect(confirm, held.text).toBeTruthy();
  const other = await (await browser.newContext({ locale: 'en-GB', viewport: { width: 390, height: 844 } })).newPage();
  await other.goto(confirm!);
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Confirm my registration');
  await expect(other.getByText('Your seat is held until')).toBeVisible();
  await expectNoBlockingViolation(other);
  await attendee.reload();
  await expect(attendee.getByText('Confirmez votre adresse e-mail avec le lien')).toBeVisible();
  await other.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(other).toHaveURL(/\/registrations\/[A-Za-z0-9_-]{64}\?address_confirmed$/);
  await expect(other.getByText('Address confirmed: your registration is complete.')).toBeVisible();
  await expect(other.locator('[data-status]')).toHaveAttribute('data-status', 'confirmed');
  await expectNoBlockingViolation(other);

  // Back on the phone, the ticket is there, and it came by email.
  await attendee.reload();
  await expect(attendee.getByRole('img', { name: 'Code QR du billet' })).toBeVisible();
  const ticket = await awaitEmailTo(address, 2);
  expect(ticket.text).toMatch(/\/tickets\/[A-Za-z0-9_-]{64}/);
});

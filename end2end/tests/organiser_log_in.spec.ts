import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, hydrated, test } from './support';

// An administrator created on the command line, as the README says, logs in to the workspace,
// sees every edition, and logs out. The server and the command share the run's SQLite file.
const repoRoot = path.resolve(__dirname, '..', '..');
const databaseUrl = `sqlite://${path.join(process.env.ETAPE_E2E_TMPDIR!, 'e2e.db')}?mode=rwc`;
const EMAIL = `admin-${Date.now()}@example.org`;
const PASSWORD = 'un mot de passe pour les tests';

async function expectNoBlockingViolation(page: import('@playwright/test').Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const blocking = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact ?? ''));
  expect(
    blocking.map((v) => `${v.impact}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

test.beforeAll(() => {
  const out = execFileSync(
    path.join(repoRoot, 'target/release/etape'),
    ['admin', 'create', '--email', EMAIL, '--name', 'Camille Admin'],
    { cwd: repoRoot, input: `${PASSWORD}\n`, env: { ...process.env, DATABASE_URL: databaseUrl } },
  ).toString();
  expect(out).toContain(`created platform administrator ${EMAIL}`);
});

test('log in to the workspace: wrong password, then the right one, then log out', async ({ page }) => {
  await page.goto('/workspace');
  await expect(page).toHaveURL(/\/workspace\/login$/);
  await hydrated(page);
  await expectNoBlockingViolation(page);

  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('Adresse e-mail ou mot de passe incorrect.');
  await expect(page.getByLabel('Adresse e-mail')).toHaveValue(EMAIL);
  await expect(page.getByLabel('Mot de passe')).toHaveValue('');

  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/workspace$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bonjour, Camille Admin');
  await expect(page.getByRole('heading', { name: 'Social Good Week — démo' })).toBeVisible();
  await expect(page.locator('tr[data-stage="grenoble"]')).toContainText('Brouillon');
  await hydrated(page);
  await expectNoBlockingViolation(page);

  // On a phone the stage table reads as cards, and still says everything.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.locator('tr[data-stage="lyon"]').first()).toContainText('places prises');
  await expectNoBlockingViolation(page);

  await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
  await expect(page).toHaveURL(/\/workspace\/login\?done=logout$/);
  await expect(page.getByRole('status')).toHaveText('Vous êtes déconnecté·e.');
  await page.goto('/workspace');
  await expect(page).toHaveURL(/\/workspace\/login$/);
});

test('create a draft edition: a mistake comes back beside its field, then it is created', async ({ page }) => {
  await page.goto('/workspace/login');
  await page.getByLabel('Adresse e-mail').fill(EMAIL);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('link', { name: 'Créer une édition' }).click();
  await expect(page).toHaveURL(/\/workspace\/editions\/new$/);
  await hydrated(page);
  await expectNoBlockingViolation(page);

  await page.getByLabel("Nom de l'édition").fill('Printemps solidaire 2027');
  await page.getByLabel("Numéro de l'édition").fill('1');
  await page.getByLabel('Premier jour').fill('2027-04-12');
  await page.getByLabel('Dernier jour').fill('2027-04-05');
  await page.getByLabel('Thème').fill("L'engagement près de chez soi");
  await page.getByRole('button', { name: "Créer l'édition en brouillon" }).click();

  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Le dernier jour vient après le premier.');
  await expect(page.getByLabel("Nom de l'édition")).toHaveValue('Printemps solidaire 2027');
  await expect(page.getByLabel('Dernier jour')).toHaveAttribute('aria-invalid', 'true');
  await expectNoBlockingViolation(page);

  await page.getByLabel('Dernier jour').fill('2027-04-18');
  await page.getByRole('button', { name: "Créer l'édition en brouillon" }).click();
  await expect(page).toHaveURL(/\/workspace\?created=printemps-solidaire-2027$/);
  await expect(page.getByRole('status')).toContainText('« Printemps solidaire 2027 » est créée, en brouillon');
  await expect(page.getByRole('heading', { name: 'Printemps solidaire 2027' })).toBeVisible();

  // A draft is not public until it is published.
  expect((await page.request.get('/printemps-solidaire-2027')).status()).toBe(404);
  await page.getByRole('button', { name: 'Publier « Printemps solidaire 2027 »' }).click();
  await expect(page).toHaveURL(/\/workspace\?published=printemps-solidaire-2027$/);
  await expect(page.getByRole('status')).toContainText('« Printemps solidaire 2027 » est publiée');
  await expect(page.getByRole('button', { name: 'Publier « Printemps solidaire 2027 »' })).toHaveCount(0);
  await expect
    .poll(async () => (await page.request.get('/printemps-solidaire-2027')).status(), { timeout: 5_000 })
    .toBe(200);
});

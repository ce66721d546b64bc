import { EDITION, expect, hydrated, LYON_PROJECTS, STAGE, test } from './support';

test.describe('browse the programme', () => {
  test('from the home page, open an edition', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveTitle(/Étape/);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Social Good Week — démo' })).toBeVisible();

    await page.getByRole('link', { name: 'Social Good Week 2013' }).click();

    await expect(page).toHaveURL(EDITION);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Social Good Week 2013');
    await expect(page.getByText('Édition passée')).toBeVisible();
    // Every city's stage is listed before filtering.
    const stages = page.getByRole('article');
    await expect(stages.getByRole('link', { name: 'Lyon', exact: true })).toBeVisible();
    await expect(stages.getByRole('link', { name: 'Paris', exact: true })).toBeVisible();
    expect(await stages.count()).toBeGreaterThan(1);
  });

  test('filter the stages by city by changing the select (JavaScript)', async ({ page }) => {
    await page.goto(EDITION);
    await hydrated(page);
    const form = page.getByRole('search', { name: 'Filtrer par ville' });
    const city = form.getByRole('combobox', { name: 'Ville', exact: true });
    await expect(city).toHaveValue('');
    await expect(city.getByRole('option', { name: 'Toutes les villes' })).toHaveAttribute('value', '');

    await city.selectOption('lyon'); // no click on "Filtrer": the change alone filters

    await expect(page).toHaveURL(`${EDITION}?city=lyon`);
    const stages = page.getByRole('article');
    await expect(stages).toHaveCount(1);
    await expect(
      stages.getByRole('heading', { level: 3 }).getByRole('link', { name: 'Lyon', exact: true }),
    ).toHaveAttribute('href', STAGE);
    await expect(page.getByRole('link', { name: 'Paris', exact: true })).toHaveCount(0);

    // Back to every city.
    await city.selectOption('');
    await expect(page.getByRole('link', { name: 'Paris', exact: true })).toBeVisible();
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('filter the stages by city with the "Filtrer" button', async ({ page }) => {
      await page.goto(EDITION);
      const form = page.getByRole('search', { name: 'Filtrer par ville' });
      await form.getByRole('combobox', { name: 'Ville', exact: true }).selectOption('lyon');
      await form.getByRole('button', { name: 'Filtrer', exact: true }).click();

      await expect(page).toHaveURL(`${EDITION}?city=lyon`);
      const stages = page.getByRole('article');
      await expect(stages).toHaveCount(1);
      await expect(stages.getByRole('link', { name: 'Lyon', exact: true })).toBeVisible();
      // The server keeps the choice in the form.
      await expect(form.getByRole('combobox', { name: 'Ville', exact: true })).toHaveValue('lyon');
    });
  });

  test('filter with the "Filtrer" button once the page is interactive', async ({ page }) => {
    await page.goto(EDITION);
    await hydrated(page);
    const form = page.getByRole('search', { name: 'Filtrer par ville' });
    await form.getByRole('combobox', { name: 'Ville', exact: true }).selectOption('lyon');
    await form.getByRole('button', { name: 'Filtrer', exact: true }).click();

    await expect(page).toHaveURL(`${EDITION}?city=lyon`);
    await expect(page.getByRole('article')).toHaveCount(1);
    await expect(page.getByRole('article').getByRole('link', { name: 'Lyon', exact: true })).toBeVisible();
  });

  test('open the Lyon stage: keynote and five projects', async ({ page }) => {
    await page.goto(EDITION);
    await page.getByRole('article').getByRole('link', { name: 'Lyon', exact: true }).click();

    await expect(page).toHaveURL(STAGE);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Lyon');

    const programme = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { level: 2, name: 'Programme', exact: true }) });
    const keynote = programme
      .getByRole('listitem')
      .or(programme.getByRole('article'))
      .filter({ hasText: 'Yann Moulier-Boutang' });
    await expect(keynote).toHaveCount(1);
    await expect(keynote).toContainText('Keynote');

    const projects = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { level: 2, name: 'Projets', exact: true }) });
    await expect(projects.getByRole('article')).toHaveCount(LYON_PROJECTS.length);
    for (const name of LYON_PROJECTS) {
      await expect(
        projects.getByRole('article').getByRole('heading', { level: 3, name, exact: true }),
      ).toBeVisible();
    }

    await expect(page.getByRole('link', { name: 'Voir sur OpenStreetMap' })).toHaveAttribute(
      'href',
      /^https:\/\/www\.openstreetmap\.org\//,
    );
    for (const text of ['Vieux Lyon', 'SFR', 'Les Interconnectés']) {
      await expect(page.locator('body')).toContainText(text);
    }
  });
});

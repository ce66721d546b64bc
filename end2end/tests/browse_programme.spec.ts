import { EDITION, expect, expectAccessible, hydrated, LYON_PROJECTS, STAGE, test } from './support';

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

  test('the stages come right under the title; a city chip filters them (JavaScript)', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(EDITION);
    await hydrated(page);
    // On a phone, the first stage card is on the first screen.
    const first = page.getByRole('article').first();
    expect((await first.boundingBox())!.y).toBeLessThan(844);
    const chips = page.getByRole('navigation', { name: 'Filtrer par ville' });
    await expect(chips.getByRole('link', { name: 'Toutes les villes' })).toHaveAttribute('aria-current', 'true');

    await chips.getByRole('link', { name: 'Lyon', exact: true }).click();

    await expect(page).toHaveURL(`${EDITION}?city=lyon#stages`);
    const stages = page.getByRole('article');
    await expect(stages).toHaveCount(1);
    await expect(
      stages.getByRole('heading', { level: 3 }).getByRole('link', { name: 'Lyon', exact: true }),
    ).toHaveAttribute('href', STAGE);
    await expect(chips.getByRole('link', { name: 'Lyon', exact: true })).toHaveAttribute('aria-current', 'true');
    await expect(stages.getByRole('link', { name: 'Paris', exact: true })).toHaveCount(0);
    await expectAccessible(page, 'the edition filtered by city');

    // Back to every city.
    await chips.getByRole('link', { name: 'Toutes les villes' }).click();
    await expect(page.getByRole('article').getByRole('link', { name: 'Paris', exact: true })).toBeVisible();
  });

  test('"Partager" copies the stage\'s address where the phone has no share sheet', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(STAGE);
    await hydrated(page);
    const share = page.getByRole('button', { name: 'Partager' });
    await share.click();
    // Chromium on Linux has no share sheet: the address is copied, and the button says so.
    await expect(page.getByRole('button', { name: 'Lien copié' })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(new RegExp(`${STAGE}$`));
    await expect(page.locator('meta[property="og:url"]')).toHaveAttribute('content', copied);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('no "Partager" button that could do nothing', async ({ page }) => {
      await page.goto(STAGE);
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Lyon');
      await expect(page.getByRole('button', { name: 'Partager' })).toBeHidden();
    });

    test('a city chip filters the stages and comes back to them', async ({ page }) => {
      await page.goto(EDITION);
      const chips = page.getByRole('navigation', { name: 'Filtrer par ville' });
      await chips.getByRole('link', { name: 'Lyon', exact: true }).click();

      await expect(page).toHaveURL(`${EDITION}?city=lyon#stages`);
      const stages = page.getByRole('article');
      await expect(stages).toHaveCount(1);
      await expect(stages.getByRole('link', { name: 'Lyon', exact: true })).toBeVisible();
      await expect(chips.getByRole('link', { name: 'Lyon', exact: true })).toHaveAttribute('aria-current', 'true');
    });
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

import { EDITION, expect, STAGE, test } from './support';

test.describe('switch language', () => {
  test('French by default, with a language menu in the header', async ({ page }) => {
    await page.goto(STAGE);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

    const menu = page.getByRole('navigation', { name: 'Langue', exact: true });
    const francais = menu.getByRole('link', { name: 'Français', exact: true });
    const english = menu.getByRole('link', { name: 'English', exact: true });
    await expect(francais).toHaveAttribute('hreflang', 'fr');
    await expect(francais).toHaveAttribute('aria-current', 'true');
    await expect(english).toHaveAttribute('hreflang', 'en');
    await expect(english).not.toHaveAttribute('aria-current', 'true');
  });

  test('choose English: same page in English, and the choice sticks', async ({ page }) => {
    await page.goto(STAGE);
    await page
      .getByRole('navigation', { name: 'Langue', exact: true })
      .getByRole('link', { name: 'English', exact: true })
      .click();

    // Same page, now in English.
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page).toHaveURL(/\/social-good-week-2013\/lyon(\?.*)?$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Lyon');
    await expect(page.getByRole('heading', { level: 2, name: 'Projects', exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'View on OpenStreetMap' })).toBeVisible();
    const menu = page.getByRole('navigation', { name: 'Language', exact: true });
    await expect(menu.getByRole('link', { name: 'English', exact: true })).toHaveAttribute('aria-current', 'true');

    // The choice is remembered on the next page, although the browser asks for French.
    await page.goto(EDITION);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByText('Past edition')).toBeVisible();
    const chips = page.getByRole('navigation', { name: 'Filter by city' });
    await expect(chips.getByRole('link', { name: 'All cities', exact: true })).toBeVisible();

    // And back to French.
    await menu.getByRole('link', { name: 'Français', exact: true }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByText('Édition passée')).toBeVisible();
  });

  test.describe('with an English-speaking browser', () => {
    test.use({ locale: 'en-US' });

    test('starts in English without any cookie', async ({ page }) => {
      await page.goto(EDITION);
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(page.getByRole('navigation', { name: 'Language', exact: true })).toBeVisible();
      await expect(page.getByText('Past edition')).toBeVisible();
      const chips = page.getByRole('navigation', { name: 'Filter by city' });
      await expect(chips.getByRole('link', { name: 'All cities' })).toHaveAttribute('aria-current', 'true');
    });
  });
});

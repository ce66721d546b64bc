import { expect, test } from './support';

const UNKNOWN = '/nope/nothing/here';

test.describe('open an unknown page', () => {
  test('answers 404 with "Page introuvable"', async ({ page }) => {
    const response = await page.goto(UNKNOWN);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page introuvable');
  });

  test.describe('in English', () => {
    test.use({ locale: 'en-US' });

    test('answers 404 with "Page not found"', async ({ page }) => {
      const response = await page.goto(UNKNOWN);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    });
  });
});

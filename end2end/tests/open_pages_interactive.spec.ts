import type { Page } from '@playwright/test';
import { EDITION, expect, hydrated, STAGE, test } from './support';

// The release build's client must hydrate without errors. A broken wasm-opt, for one,
// still renders the server's HTML but throws in the browser: only this test sees it.
function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  return errors;
}

test.describe('pages become interactive (hydration)', () => {
  for (const path of ['/', EDITION, STAGE]) {
    test(`open ${path}: the client hydrates without errors`, async ({ page }) => {
      const errors = recordErrors(page);
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);

      await hydrated(page);

      expect(errors, errors.join('\n')).toEqual([]);
    });
  }

  test('navigate within the site after hydration, without errors', async ({ page }) => {
    const errors = recordErrors(page);
    await page.goto('/');
    await hydrated(page);
    await page.getByRole('link', { name: 'Social Good Week 2013' }).click();
    await expect(page).toHaveURL(EDITION);
    await page.getByRole('article').getByRole('link', { name: 'Lyon', exact: true }).click();
    await expect(page).toHaveURL(STAGE);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Lyon');
    await hydrated(page);
    expect(errors, errors.join('\n')).toEqual([]);
  });
});

import { EDITION, expectAccessible, hydrated, STAGE, test } from './support';

// axe-core with the WCAG 2 A and AA rules (see `expectAccessible`).

for (const [name, path] of [
  ['home', '/'],
  ['edition', EDITION],
  ['stage', STAGE],
  ['registration form', '/social-good-week-demo/lyon'],
  ['lost link', '/lost-link'],
  ['privacy', '/privacy'],
] as const) {
  test(`accessibility: ${name} page (${path}) has no serious or critical WCAG 2 A/AA violation`, async ({ page }) => {
    await page.goto(path);
    await hydrated(page);

    await expectAccessible(page, path);
  });
}

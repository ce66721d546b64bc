import AxeBuilder from '@axe-core/playwright';
import { EDITION, expect, hydrated, STAGE, test } from './support';

// axe-core with the WCAG 2 A and AA rules; serious and critical violations fail the test.
const BLOCKING = new Set(['serious', 'critical']);

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

    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const blocking = results.violations.filter((v) => BLOCKING.has(v.impact ?? ''));
    const report = blocking
      .map(
        (v) =>
          `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
          v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n'),
      )
      .join('\n');

    expect(
      blocking.map((v) => `${v.impact}: ${v.id}`),
      `axe found violations on ${path}:\n${report}`,
    ).toEqual([]);
  });
}

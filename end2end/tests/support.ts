import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';

export const EDITION = '/social-good-week-2013';
export const STAGE = '/social-good-week-2013/lyon';

/** The five projects of the Lyon stage, in the demo data. */
export const LYON_PROJECTS = [
  'HelloAsso',
  'Arizuka',
  'ProBonoLab',
  'Travelwithamission',
  'Prêt de Chez Moi',
];

// Uncaught exceptions thrown in each page, so that a failed hydration says why.
const pageErrors = new WeakMap<Page, string[]>();

/** Playwright's `test`, recording every page's uncaught errors (see `hydrated`). */
export const test = base.extend<{ recordPageErrors: void }>({
  recordPageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      pageErrors.set(page, errors);
      page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
      await use();
    },
    { auto: true },
  ],
});

export { expect };

/**
 * Waits until the client (wasm) has hydrated the page: only client code sets
 * `<body data-hydrated="true">`. Interactions that need JavaScript come after this.
 */
export async function hydrated(page: Page): Promise<void> {
  try {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  } catch (error) {
    const errors = pageErrors.get(page) ?? [];
    if (errors.length && error instanceof Error) {
      error.message =
        'The client did not hydrate; errors thrown in the page:\n' +
        errors.join('\n') +
        '\n\n' +
        error.message;
    }
    throw error;
  }
}

// axe-core with the WCAG 2 A and AA rules; serious and critical violations fail the test.
const BLOCKING = new Set(['serious', 'critical']);

/** Fails with axe's report when the page as it is now has a serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
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
    `axe found violations on ${what}:\n${report}`,
  ).toEqual([]);
}

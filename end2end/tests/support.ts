import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

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

const PARSE_MAIL = `
import email, email.policy, json, pathlib, sys
found = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.eml")):
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    if sys.argv[2] in [a.strip() for a in message["X-Envelope-To"].split(",")]:
        found.append({"subject": message["Subject"], "text": message.get_body(("plain",)).get_content()})
print(json.dumps(found))
`;

/** A sent email, as the test server's SMTP listener received it (mail_sink.ts). */
export type SentEmail = { subject: string; text: string };

/** The emails sent to `address` so far, oldest first, decoded with Python's email parser. */
export function emailsTo(address: string): SentEmail[] {
  const dir = path.join(process.env.ETAPE_E2E_TMPDIR!, 'mail');
  return JSON.parse(execFileSync('python3', ['-c', PARSE_MAIL, dir, address]).toString());
}

/** Waits for the `count`th email to `address` (the server sends them in the background). */
export async function awaitEmailTo(address: string, count = 1): Promise<SentEmail> {
  await expect.poll(() => emailsTo(address).length, { timeout: 15_000, message: `email ${count} to ${address}` }).toBeGreaterThanOrEqual(count);
  return emailsTo(address)[count - 1];
}

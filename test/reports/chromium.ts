/**
 * Where the browser tests find Chromium: `BATCHBENCH_CHROMIUM` when set (any
 * Chromium or Chrome binary), else Debian's /usr/bin/chromium. Outside CI a
 * missing browser skips the browser tests with a warning; under CI=true it
 * fails them at once, naming the path and the variable.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env['BATCHBENCH_CHROMIUM'] || '/usr/bin/chromium';

/** Headless, no sandbox (containers), and no request of Chromium's own to the network. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** CI=true (as GitHub Actions and most CI services set it); "false" and "0" do not count. */
export const IN_CI = !['', '0', 'false'].includes((process.env['CI'] ?? '').toLowerCase());

export const CHROMIUM_FOUND = existsSync(CHROMIUM);

/** What to tell the user when no browser is found. */
export const MISSING_CHROMIUM = `no Chromium at ${CHROMIUM}: install Debian's chromium package, or set BATCHBENCH_CHROMIUM to a Chromium or Chrome binary`;

/** Whether the browser tests run: with a browser, or under CI, where a missing one must fail them. */
export const RUN_BROWSER_TESTS = CHROMIUM_FOUND || IN_CI;

if (!CHROMIUM_FOUND && !IN_CI) console.warn(`skipping the browser tests: ${MISSING_CHROMIUM} (under CI=true they fail instead)`);

/** Throws at once under CI when there is no browser, before any fixture is built. */
export function requireChromium(): void {
  if (!CHROMIUM_FOUND) throw new Error(`${MISSING_CHROMIUM}; CI=true, so the browser tests fail instead of skipping`);
}

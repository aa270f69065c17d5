import { existsSync } from 'node:fs';
import { InputError } from '../util/errors.js';

/** Debian's Chromium; WARDEN_CHROMIUM points elsewhere (another distribution, a CI image). */
export function chromiumPath(): string {
  return process.env.WARDEN_CHROMIUM || '/usr/bin/chromium';
}

/**
 * Prints the HTML report to PDF with headless Chromium, so the PDF is exactly the printed page.
 * The page is loaded from a string with JavaScript off and every request refused: the report is
 * self-contained, and nothing in it may reach the network.
 */
export async function htmlToPdf(html: string): Promise<Buffer> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath))
    throw new InputError(
      `PDF output needs Chromium at ${executablePath} (apt-get install chromium, or set WARDEN_CHROMIUM)`,
    );
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new InputError('PDF output needs the playwright-core package (npm install playwright-core)');
  }
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  } catch (err) {
    // Playwright's launch errors carry a multi-line call log; one line is enough to act on.
    const first = String((err as Error).message ?? err).split('\n')[0];
    throw new InputError(`cannot start Chromium at ${executablePath}: ${first}`);
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' },
    });
  } finally {
    await browser.close();
  }
}

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { evaluateFramework } from '../../src/compliance/evaluate.js';
import { resolveFramework } from '../../src/compliance/framework.js';
import { scanInventory } from '../../src/engine/scan.js';
import { loadPolicies } from '../../src/policy/load.js';
import { complianceHtml } from '../../src/report/html.js';
import { chromiumPath, htmlToPdf } from '../../src/report/pdf.js';
import { NOW, scenario } from '../helpers/live.js';

/** The HTML report in a real browser (Debian's Chromium), and the PDF printed from it. */
const dir = mkdtempSync(join(tmpdir(), 'warden-browser-'));
const report = evaluateFramework(
  resolveFramework('cis-aws-3.0'),
  scanInventory(
    scenario('test/fixtures/compliance/cis-account.json'),
    loadPolicies({ packs: ['core', 'cis-aws-v3'] }),
    NOW,
  ),
  { now: NOW },
);
const html = complianceHtml(report);
const file = join(dir, 'cis.html');
writeFileSync(file, html);

let browser: Browser;
before(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTML compliance report in Chromium', () => {
  it('renders with no console errors and no request but the file itself', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [pathToFileURL(file).href]);

    assert.equal(await page.textContent('#score'), '41.1%');
    assert.equal(await page.textContent('#passed'), '23');
    assert.equal(await page.textContent('#assessed'), '56');
    assert.equal(await page.textContent('#count-fail .n'), '32');
    assert.equal(await page.textContent('#count-error .n'), '1');
    assert.equal(await page.textContent('#count-manual .n'), '6');
    assert.equal(await page.locator('#chart-sections rect').count(), 10);
    assert.equal(await page.locator('#chart-severity rect').count(), 10);
    assert.equal(await page.locator('#requirements tr[data-requirement]').count(), 62);
    assert.equal(await page.locator('#priorities tbody tr').count(), 10);
    assert.equal(await page.textContent('#priorities tbody tr:first-child a'), '1.16');
    assert.equal(await page.locator('article.req[data-status="error"]').count(), 1);

    // The summary is at the top of the page, visible without scrolling.
    const box = await page.locator('#score').boundingBox();
    assert.ok(box && box.y < 300, `score at y=${box?.y}`);
    const shot = await page.screenshot({ fullPage: false });
    assert.ok(shot.length > 10_000, `screenshot is ${shot.length} bytes`);
    await page.close();
  });

  it('prints to a PDF with pages', async () => {
    const pdf = await htmlToPdf(html);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    assert.ok(pages.length >= 3, `${pages.length} pages`);
  });
});

// A Node test reporter that prints one line per test (and the failure detail), then
// `N passed, N failed` on the last line. Suites are not counted; only leaf tests are.
import { inspect } from 'node:util';

export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type === 'test:pass' || event.type === 'test:fail') {
      const d = event.data;
      if (d.details?.type === 'suite') {
        if (event.type === 'test:fail' && d.details?.error?.failureType !== 'subtestsFailed') {
          failed++;
          yield `✖ ${d.name} (suite)\n${indent(formatError(d.details.error))}\n`;
        }
        continue;
      }
      if (d.skip || d.todo) {
        skipped++;
        yield `- ${d.name} # skipped\n`;
      } else if (event.type === 'test:pass') {
        passed++;
        yield `✔ ${d.name}\n`;
      } else {
        failed++;
        yield `✖ ${d.name}  (${d.file ?? ''})\n${indent(formatError(d.details?.error))}\n`;
      }
    } else if (event.type === 'test:stderr' || event.type === 'test:stdout') {
      // Test output is noise unless a test fails; the failure detail carries the assertion.
    }
  }
  yield `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}

function formatError(err) {
  if (!err) return 'failed';
  const cause = err.cause ?? err;
  return cause?.stack ?? inspect(cause, { depth: 4 });
}

function indent(text) {
  return String(text)
    .split('\n')
    .slice(0, 40)
    .map((l) => `    ${l}`)
    .join('\n');
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml } from './html/page.js';
import type { Reporter } from './types.js';

/** report.html: one self-contained page (Chart.js inlined, no network) with the headline table, charts and drill-down. */
export const htmlReporter: Reporter = {
  name: 'html',
  write(model, dir) {
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReportHtml(model));
    return Promise.resolve([file]);
  },
};

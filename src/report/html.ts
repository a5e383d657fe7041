import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MedicError } from '../errors.js';
import { reportDataSchema, type ReportData } from './schema.js';
import { REPORT_CSS } from './style.js';

let page: string | undefined;

/** The bundled page script (dist/report/page.js of this package, built by `npm run build`). */
function pageScript(): string {
  if (page !== undefined) return page;
  const root = dirname(createRequire(import.meta.url).resolve('playwright-medic/package.json'));
  const file = join(root, 'dist', 'report', 'page.js');
  if (!existsSync(file)) {
    throw new MedicError('MEDIC_REPORT', `The learning report's page script is missing: ${file}.`, { fix: 'Build playwright-medic (`npm run build` in its folder) or reinstall the package.' });
  }
  return (page = readFileSync(file, 'utf8'));
}

/**
 * The learning report as one offline HTML file: the page script and styles inline, and the data
 * (validated with `reportDataSchema`) as a gzip-compressed, base64 data island that the page
 * decompresses and validates again. No request leaves the page (its CSP forbids them).
 * @example writeFileSync('.medic/report/index.html', reportHtml(buildReportData(input)));
 */
export function reportHtml(data: ReportData): string {
  // ASCII only (other characters as \u escapes): the page decodes ASCII several times faster.
  const json = JSON.stringify(reportDataSchema.parse(data)).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const island = gzipSync(json, { level: 6 }).toString('base64');
  // The CSP allows eval for zod's compiled validators (several times faster on 10,000 tests); nothing can be fetched.
  // `</script` cannot occur in base64 or in the minified bundle's strings unescaped by esbuild; checked anyway.
  const script = pageScript().replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline' 'unsafe-eval'">
<title>medic report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<div id="app"><p class="loading">Loading the report…</p></div>
<script type="application/octet-stream" id="medic-data">${island}</script>
<script>${script}</script>
</body>
</html>
`;
}

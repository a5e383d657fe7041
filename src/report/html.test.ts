import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildReportData } from './build.js';
import { reportHtml } from './html.js';
import { reportDataSchema } from './schema.js';
import { makeAttempt, makeRun } from '../store/contract.testkit.js';

describe('reportHtml', () => {
  it('writes one offline file: the data island gzip + base64, ASCII only, that reads back to the same data', () => {
    const data = buildReportData({
      project: 'shop › ünïcode 🚀',
      store: '/tmp/x.db',
      now: new Date('2026-11-24T11:00:00.000Z'),
      runs: [makeRun()],
      attempts: [makeAttempt({ title: 'adds “a” product → cart 🛒', titlePath: ['cart', 'adds “a” product → cart 🛒'] })],
      heals: [],
      patterns: [],
      selectors: [],
      predictions: [],
      executions: [],
      reviewId: (h) => h.id,
    });
    const html = reportHtml(data);
    expect(html).toContain("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';");
    const island = /<script type="application\/octet-stream" id="medic-data">([^<]*)<\/script>/.exec(html)![1]!;
    const json = gunzipSync(Buffer.from(island, 'base64')).toString('utf8');
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(reportDataSchema.parse(JSON.parse(json))).toEqual(data);
    expect(html.match(/<script/g)).toHaveLength(2);
  });
});

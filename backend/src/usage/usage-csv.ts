import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import { takeOverResponse } from '#src/common/raw-response.js';
import type { UsageRow } from '#src/usage/usage.repository.js';

/** The first characters csv-stringify's `escape_formulas` prefixes with a quote. */
const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

const EXPORT_BATCH = 1000;

/** A usage row's columns in the order the CSV writes them; the admin's export adds whose row it was. */
export const OWN_USAGE_COLUMNS = [
  'id',
  'createdAt',
  'model',
  'endpoint',
  'status',
  'errorCode',
  'creditsCharged',
  'promptTokens',
  'completionTokens',
  'cacheHitTokens',
  'cacheMissTokens',
  'reasoningTokens',
  'peak',
  'latencyMs',
  'channel',
  'attempts',
] as const;

export const ADMIN_USAGE_COLUMNS = ['id', 'createdAt', 'userId', 'email', ...OWN_USAGE_COLUMNS.slice(2)] as const;

/** The `Content-Disposition` file name of a usage export made today (UTC). */
const usageExportFileName = (): string => `usage-${new Date().toISOString().slice(0, 10)}.csv`;

/** The Node response a usage export is streamed to: 200, CSV, saved as today's `usage-….csv`. */
export function csvExportResponse(reply: FastifyReply): ServerResponse {
  return takeOverResponse(reply, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${usageExportFileName()}"`,
  });
}

/**
 * Streams usage rows as CSV with a header row, a batch at a time and waiting whenever the client
 * reads slower than the database answers, so memory stays flat however many rows there are.
 * `batch` reads the next rows (newest first) after the keyset position it is given.
 */
export async function writeUsageCsv(
  out: Writable,
  columns: readonly string[],
  batch: (limit: number, after: { createdAt: string; id: string } | undefined) => Promise<UsageRow[]>,
  render: (row: UsageRow) => object,
): Promise<void> {
  const csv = stringify({
    header: true,
    columns: [...columns],
    // OWASP on CSV injection: a cell a spreadsheet would run as a formula (an e-mail address such as
    // =1+2@example.test) gets a leading ' and is quoted. csv-stringify's list of such first
    // characters also covers the full-width forms Apple Numbers reads as = + - @.
    escape_formulas: true,
    quoted_match: formulaStart,
    // `peak`: true or false, and empty for rows from before prices depended on the hour.
    cast: { boolean: (value) => String(value) },
  });
  csv.pipe(out);
  let after: { createdAt: string; id: string } | undefined;
  for (;;) {
    const rows = await batch(EXPORT_BATCH, after);
    for (const row of rows) {
      if (!csv.write(render(row))) await once(csv, 'drain');
    }
    const last = rows.at(-1);
    if (rows.length < EXPORT_BATCH || last === undefined) break;
    after = { createdAt: last.cursor_at, id: last.id };
  }
  csv.end();
  await once(out, 'finish');
}

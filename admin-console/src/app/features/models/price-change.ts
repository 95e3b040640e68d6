/** The fields of a price change as the audit log records them (`before` is null for a new model). */
const FIELDS = [
  ['enabled', 'available'],
  ['requestCredits', 'per request'],
  ['inputCreditsPer1k', 'input/1k'],
  ['cachedInputCreditsPer1k', 'cache hit/1k'],
  ['outputCreditsPer1k', 'output/1k'],
  ['offPeakPercent', 'off-peak %'],
  ['defaultOutputTokens', 'default output'],
] as const;

type PriceFields = Partial<Record<(typeof FIELDS)[number][0], unknown>>;

const asFields = (value: unknown): PriceFields | null => (typeof value === 'object' && value !== null ? value : null);

const show = (value: unknown): string =>
  typeof value === 'boolean'
    ? value
      ? 'yes'
      : 'no'
    : typeof value === 'number' || typeof value === 'string'
      ? String(value)
      : '—';

/**
 * "output/1k 4.2 → 5; available yes → no" for an audit row's `details`; only what changed. Rows
 * written before a field existed carry neither side of it, so they do not show it as a change.
 */
export function describePriceChange(details: Record<string, unknown>): string {
  const before = asFields(details['before']);
  const after = asFields(details['after']) ?? {};
  const changes = FIELDS.filter(([field]) =>
    before === null ? after[field] !== undefined : String(before[field]) !== String(after[field]),
  ).map(([field, label]) =>
    before === null ? `${label} ${show(after[field])}` : `${label} ${show(before[field])} → ${show(after[field])}`,
  );
  if (changes.length === 0) return 'no change';
  return before === null ? `created: ${changes.join('; ')}` : changes.join('; ');
}

/**
 * The request fields a model adds upstream, in words: `{"thinking": {"type": "disabled"}}` is
 * "thinking disabled"; anything else is shown as its JSON.
 */
export function describeRequestFields(fields: Readonly<Record<string, unknown>>): string {
  return Object.entries(fields)
    .map(([name, value]) => {
      const type = (value as { type?: unknown } | null)?.type;
      const onlyType = typeof value === 'object' && value !== null && Object.keys(value).length === 1;
      return onlyType && typeof type === 'string' ? `${name} ${type}` : `${name}: ${JSON.stringify(value)}`;
    })
    .join(', ');
}

/** The fields of a price change as the audit log records them (`before` is null for a new model). */
const FIELDS = [
  ['enabled', 'available'],
  ['requestCredits', 'per request'],
  ['inputCreditsPer1k', 'input/1k'],
  ['outputCreditsPer1k', 'output/1k'],
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

/** "output/1k 4.2 → 5; available yes → no" for an audit row's `details`; only what changed. */
export function describePriceChange(details: Record<string, unknown>): string {
  const before = asFields(details['before']);
  const after = asFields(details['after']) ?? {};
  const changes = FIELDS.filter(([field]) => before === null || String(before[field]) !== String(after[field])).map(
    ([field, label]) =>
      before === null ? `${label} ${show(after[field])}` : `${label} ${show(before[field])} → ${show(after[field])}`,
  );
  if (changes.length === 0) return 'no change';
  return before === null ? `created: ${changes.join('; ')}` : changes.join('; ');
}

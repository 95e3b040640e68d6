import type { SpendBudget, SpendPeriod } from '@creditgate/contract';

const PERIOD_NOUNS: Record<SpendPeriod, string> = { day: 'day', week: 'week', month: 'month' };

/** "100 credits a day", "1 credit a week". */
export function budgetText(budget: SpendBudget): string {
  const credits = `${budget.credits.toLocaleString('en-US')} ${budget.credits === 1 ? 'credit' : 'credits'}`;
  return `${credits} a ${PERIOD_NOUNS[budget.period]}`;
}

/** The words before a period's spend: "this UTC day", "this week (from Monday, UTC)". */
export function periodText(period: SpendPeriod): string {
  return period === 'week' ? 'this week (from Monday, UTC)' : `this UTC ${PERIOD_NOUNS[period]}`;
}

/** Items typed into one field, separated by commas, spaces or new lines; empty ones dropped. */
export function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `datetime-local` input value (the browser's local time) for an instant, and back. */
export function toLocalInput(instant: string): string {
  const date = new Date(instant);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(value: string): string {
  return new Date(value).toISOString();
}

import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { ApiKeyView } from '@creditgate/contract';
import { ApiKeyTable } from '@app/shared/spend-controls/api-key-table';

const budgeted: ApiKeyView = {
  id: '0e6d7c4b-1a2b-4c3d-8e9f-001122334455',
  name: 'build server',
  prefix: 'cg_live_AbCd1234',
  creditLimit: 500,
  creditsSpent: 120,
  budget: { credits: 100, period: 'day' },
  models: ['deepseek-flash'],
  expiresAt: '2000-01-01T00:00:00.000Z',
  allowedIps: ['203.0.113.0/24'],
  spend: { period: 'day', credits: 40, periodStart: '2026-11-30T00:00:00.000Z', resetsAt: '2026-12-01T00:00:00.000Z' },
  lastUsedAt: null,
  createdAt: '2026-11-01T00:00:00.000Z',
};
const open: ApiKeyView = {
  ...budgeted,
  id: '1e6d7c4b-1a2b-4c3d-8e9f-001122334455',
  name: 'laptop',
  creditLimit: null,
  budget: null,
  models: null,
  expiresAt: null,
  allowedIps: null,
  spend: { period: 'month', credits: 7, periodStart: '2026-11-01T00:00:00.000Z', resetsAt: '2026-12-01T00:00:00.000Z' },
};

describe('ApiKeyTable', () => {
  let fixture: ComponentFixture<ApiKeyTable>;
  const rows = (): HTMLElement[] =>
    Array.from((fixture.nativeElement as HTMLElement).querySelectorAll<HTMLElement>('tr[mat-row]'));
  const text = (element: Element | undefined) => element?.textContent.replace(/\s+/g, ' ').trim() ?? '';
  /** The lines of a row's limits cell. */
  const limitsOf = (row: HTMLElement | undefined): string[] =>
    Array.from(row?.querySelectorAll('[data-testid="key-limits"] > div') ?? []).map((line) => text(line));

  beforeEach(async () => {
    TestBed.configureTestingModule({ imports: [ApiKeyTable] });
    fixture = TestBed.createComponent(ApiKeyTable);
    fixture.componentRef.setInput('keys', [budgeted, open]);
    await fixture.whenStable();
  });

  it('shows each key’s spend against its budget, when the period resets, and its limits', () => {
    const [first, second] = rows();

    expect(text(first?.querySelector('[data-testid="period-spend"]') ?? undefined)).toBe(
      '40 of 100 credits this UTC day',
    );
    expect(text(first)).toContain('resets Dec 1, 00:00 UTC');
    expect(first?.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe('Spent 40% of the budget');
    expect(limitsOf(first)).toEqual([
      'Budget: 100 credits a day',
      'Models: deepseek-flash',
      'Addresses: 203.0.113.0/24',
      expect.stringMatching(/^Expires: .*2000.* \(expired\)$/),
      'Lifetime: 120 of 500 credits',
    ]);
    expect(text(second?.querySelector('[data-testid="period-spend"]') ?? undefined)).toBe('7 credits this UTC month');
    expect(second?.querySelector('mat-progress-bar')).toBeNull();
    expect(limitsOf(second)).toEqual(['Budget: none', 'Models: all', 'Addresses: any', 'Expires: never']);
  });

  it('tells the parent which key to edit or revoke', () => {
    const edited: ApiKeyView[] = [];
    const revoked: ApiKeyView[] = [];
    fixture.componentInstance.editLimits.subscribe((key) => edited.push(key));
    fixture.componentInstance.revoke.subscribe((key) => revoked.push(key));

    rows()[1]?.querySelector<HTMLButtonElement>('button[aria-label="Edit limits of laptop"]')?.click();
    rows()[0]?.querySelector<HTMLButtonElement>('button[aria-label="Revoke build server"]')?.click();

    expect(edited.map((key) => key.id)).toEqual([open.id]);
    expect(revoked.map((key) => key.id)).toEqual([budgeted.id]);
  });
});

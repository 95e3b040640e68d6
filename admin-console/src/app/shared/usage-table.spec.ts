import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AdminUsageItem } from '@creditgate/contract';
import { upstreamText, UsageTable } from '@app/shared/usage-table';

const row = (overrides: Partial<AdminUsageItem>): AdminUsageItem => ({
  id: '1',
  userId: '00000000-0000-4000-8000-000000000001',
  email: 'ada@example.test',
  model: 'deepseek-flash',
  status: 'success',
  endpoint: 'chat',
  errorCode: null,
  creditsCharged: 3,
  promptTokens: 12,
  completionTokens: 80,
  cacheHitTokens: 8,
  cacheMissTokens: 4,
  reasoningTokens: 30,
  peak: false,
  latencyMs: 412,
  channel: 'deepseek',
  attempts: 1,
  createdAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

describe('upstreamText', () => {
  it('names the channel, and the number of upstream calls only after a failover', () => {
    expect(upstreamText({ channel: 'deepseek', attempts: 1 })).toBe('deepseek');
    expect(upstreamText({ channel: 'backup', attempts: 3 })).toBe('backup · 3 attempts');
    expect(upstreamText({ channel: null, attempts: 0 })).toBe('—');
  });
});

describe('UsageTable on a phone', () => {
  let fixture: ComponentFixture<UsageTable>;

  beforeEach(async () => {
    TestBed.configureTestingModule({ imports: [UsageTable], providers: [provideRouter([])] });
    fixture = TestBed.createComponent(UsageTable);
    fixture.componentRef.setInput('columns', ['createdAt', 'statusAndChannel', 'creditsCharged']);
    fixture.componentRef.setInput('rows', [
      row({ id: '1', status: 'provider_error', creditsCharged: 0, channel: 'backup', attempts: 2 }),
      row({ id: '2', status: 'insufficient_credits', creditsCharged: 0, channel: null, attempts: 0 }),
      row({ id: '3' }),
    ]);
    await fixture.whenStable();
  });

  it('puts the channel and its attempts under the outcome, in one column', () => {
    const element = fixture.nativeElement as HTMLElement;
    expect(Array.from(element.querySelectorAll('th'), (header) => header.textContent.trim())).toEqual([
      'When',
      'Outcome',
      'Credits',
    ]);
    const outcomes = Array.from(element.querySelectorAll('tr[mat-row]'), (tableRow) =>
      Array.from(tableRow.querySelectorAll('td')[1]?.children ?? [], (part) => part.textContent.trim()),
    );
    // A request refused before any upstream call has no channel line at all.
    expect(outcomes).toEqual([['Provider error', 'backup · 2 attempts'], ['Too few credits'], ['Success', 'deepseek']]);
  });
});

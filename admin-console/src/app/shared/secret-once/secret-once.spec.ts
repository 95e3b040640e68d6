import { Clipboard } from '@angular/cdk/clipboard';
import { TestBed } from '@angular/core/testing';
import { SecretOnce } from '@app/shared/secret-once/secret-once';

describe('SecretOnce', () => {
  let copy: ReturnType<typeof vi.fn>;

  function render(secret: string | readonly string[]): HTMLElement {
    TestBed.configureTestingModule({ imports: [SecretOnce], providers: [{ provide: Clipboard, useValue: { copy } }] });
    const fixture = TestBed.createComponent(SecretOnce);
    fixture.componentRef.setInput('secret', secret);
    fixture.componentRef.setInput('copyLabel', 'Copy key');
    fixture.componentRef.setInput('secretTestId', 'secret');
    fixture.componentRef.setInput('copyTestId', 'copy');
    fixture.componentRef.setInput('lineTestId', 'line');
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  const byTestId = (element: HTMLElement, testId: string) =>
    element.querySelector<HTMLElement>(`[data-testid="${testId}"]`);

  beforeEach(() => {
    copy = vi.fn(() => true);
  });

  it('shows one secret in one block, copies it and says so', () => {
    const element = render('cg_live_secret');
    expect(byTestId(element, 'secret')?.textContent).toBe('cg_live_secret');
    expect(byTestId(element, 'copy')?.textContent).toContain('Copy key');

    byTestId(element, 'copy')?.click();
    TestBed.tick();

    expect(copy).toHaveBeenCalledWith('cg_live_secret');
    expect(byTestId(element, 'copy')?.textContent).toContain('Copied');
    expect(element.querySelector('.dialog-error')).toBeNull();
  });

  it('shows a list one line each and copies it one a line', () => {
    const element = render(['CG-AAAA', 'CG-BBBB']);
    expect(Array.from(element.querySelectorAll('[data-testid="line"]')).map((line) => line.textContent)).toEqual([
      'CG-AAAA',
      'CG-BBBB',
    ]);

    byTestId(element, 'copy')?.click();

    expect(copy).toHaveBeenCalledWith('CG-AAAA\nCG-BBBB');
  });

  it('tells the user to select the text when the browser refuses to copy', () => {
    copy = vi.fn(() => false);
    const element = render('whsec_secret');

    byTestId(element, 'copy')?.click();
    TestBed.tick();

    expect(byTestId(element, 'copy')?.textContent).not.toContain('Copied');
    expect(element.querySelector('.dialog-error')?.textContent).toContain('select the text');
  });
});

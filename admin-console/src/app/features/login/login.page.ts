import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router } from '@angular/router';
import { ErrorCode, PASSWORD_MAX_LENGTH } from '@creditgate/contract';
import { toApiError } from '@app/core/api-error';
import { AuthSession, type SignOutReason } from '@app/core/auth-session';

const NOTICES: Record<SignOutReason, string> = {
  'signed-out': 'You are signed out.',
  expired: 'Your session has ended. Please sign in again.',
};

@Component({
  selector: 'cg-login-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login.page.html',
  styleUrl: './login.page.scss',
})
export class LoginPage {
  private readonly session = inject(AuthSession);
  private readonly router = inject(Router);

  /** From the query string: why the login page is shown, and where to go afterwards. */
  readonly reason = input<SignOutReason | undefined>(undefined);
  readonly returnUrl = input<string | undefined>(undefined);

  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', [Validators.required, Validators.maxLength(PASSWORD_MAX_LENGTH)]],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = computed(() => {
    const reason = this.reason();
    return reason !== undefined && reason in NOTICES ? NOTICES[reason] : null;
  });

  protected async submit(): Promise<void> {
    if (this.form.invalid || this.busy()) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.session.signIn(this.form.getRawValue());
      // Only a path inside the console: a URL in the query string must not become an open redirect.
      // Without one, '/' sends admins to the dashboard and users to their own pages.
      const returnUrl = this.returnUrl();
      await this.router.navigateByUrl(returnUrl !== undefined && /^\/(?!\/)/.test(returnUrl) ? returnUrl : '/');
    } catch (caught) {
      const error = toApiError(caught);
      this.error.set(
        error.code === ErrorCode.Unauthenticated
          ? 'The e-mail or the password is wrong.'
          : error.code === ErrorCode.RateLimited && error.retryAfter !== null
            ? `Too many attempts. Try again in ${error.retryAfter} s.`
            : error.summary,
      );
    } finally {
      this.busy.set(false);
    }
  }
}

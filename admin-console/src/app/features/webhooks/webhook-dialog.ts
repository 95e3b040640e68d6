import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  type AbstractControl,
  FormBuilder,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import {
  type CreatedWebhook,
  type CreateWebhookRequest,
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpointView,
} from '@creditgate/contract';
import { AdminApi } from '@app/core/admin-api';
import { toApiError } from '@app/core/api-error';
import { WEBHOOK_EVENT_DESCRIPTIONS } from '@app/features/webhooks/webhook-display';
import { SecretOnce } from '@app/shared/secret-once/secret-once';
import { ShownOnce } from '@app/shared/secret-once/shown-once';

/** The bounds the API holds an endpoint to (its DTO), checked here too so the form says so first. */
const URL_MAX_CHARS = 2048;
const DESCRIPTION_MAX_CHARS = 200;
const HTTP_URL = /^\s*https?:\/\/\S+\s*$/;

/** What the form holds: `events[i]` says whether `WEBHOOK_EVENT_TYPES[i]` is chosen. */
export interface WebhookFormValue {
  url: string;
  events: boolean[];
  description: string;
}

/** The request for a filled form: the chosen events in the contract's order, no blank description. */
export function createWebhookRequest(value: WebhookFormValue): CreateWebhookRequest {
  const description = value.description.trim();
  return {
    url: value.url.trim(),
    events: WEBHOOK_EVENT_TYPES.filter((_type, index) => value.events[index] === true),
    ...(description === '' ? {} : { description }),
  };
}

/** The endpoint as the list shows it: every field but the secret, named one by one. */
export function withoutSecret(created: CreatedWebhook): WebhookEndpointView {
  return {
    id: created.id,
    url: created.url,
    events: created.events,
    description: created.description,
    createdAt: created.createdAt,
    deliveries: created.deliveries,
  };
}

function someChecked(group: AbstractControl): ValidationErrors | null {
  return (group.value as boolean[]).includes(true) ? null : { noEvent: true };
}

/**
 * Registers an endpoint, then shows its signing secret — the one time anyone sees it: the API keeps
 * it encrypted and never answers it again. The secret lives in this dialog only; closing it (only by
 * the button, once the secret shows) leaves the page just the endpoint without its secret.
 */
@Component({
  selector: 'cg-webhook-dialog',
  imports: [
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    ReactiveFormsModule,
    SecretOnce,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './webhook-dialog.html',
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      min-width: min(460px, 78vw);
      gap: 4px;
    }
    .events {
      display: flex;
      flex-direction: column;
      margin: 4px 0 12px;
    }
    .events legend {
      font: var(--mat-sys-title-small);
      padding: 0;
      margin-bottom: 4px;
    }
    fieldset {
      border: 0;
      padding: 0;
      margin: 0;
    }
    .event-name {
      font-family: ui-monospace, monospace;
    }
    .event-help {
      display: block;
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class WebhookDialog {
  private readonly api = inject(AdminApi);

  protected readonly events = WEBHOOK_EVENT_TYPES.map((type) => ({ type, help: WEBHOOK_EVENT_DESCRIPTIONS[type] }));
  protected readonly limits = { url: URL_MAX_CHARS, description: DESCRIPTION_MAX_CHARS };

  private readonly builder = inject(FormBuilder).nonNullable;
  protected readonly form = this.builder.group({
    url: ['', [Validators.required, Validators.pattern(HTTP_URL), Validators.maxLength(URL_MAX_CHARS)]],
    // By position, not by name: form group keys cannot hold the dots of event names.
    events: this.builder.array(
      WEBHOOK_EVENT_TYPES.map(() => false),
      { validators: someChecked },
    ),
    description: ['', [Validators.maxLength(DESCRIPTION_MAX_CHARS)]],
  });

  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  /** The endpoint and its secret once registered, shown until the admin closes the dialog. */
  protected readonly shown = new ShownOnce<CreatedWebhook>();

  protected save(): void {
    if (this.form.invalid || this.saving()) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    this.api.createWebhook(createWebhookRequest(this.form.getRawValue())).subscribe({
      next: (created) => {
        this.saving.set(false);
        this.shown.show(created);
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(toApiError(error).summary);
      },
    });
  }

  /** The page gets the endpoint without its secret. */
  protected done(): void {
    this.shown.close(withoutSecret);
  }
}

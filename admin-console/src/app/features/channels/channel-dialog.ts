import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { CHANNEL_KINDS, type ChannelKind, type ChannelView } from '@creditgate/contract';
import { type Observable, startWith } from 'rxjs';
import { AdminApi } from '@app/core/admin-api';
import { toApiError } from '@app/core/api-error';
import { maskedKey } from '@app/features/channels/channel-display';
import {
  type ChannelFormValue,
  createChannelRequest,
  updateChannelRequest,
} from '@app/features/channels/channel-request';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';

/** `null`: a new channel. */
export interface ChannelDialogData {
  channel: ChannelView | null;
}

/**
 * The bounds the database holds channels to (migration 0011), checked here too so the form says so
 * before sending; anything else the API refuses (a name it does not take) comes back as its message.
 */
const PRIORITY_MAX = 1000;
const WEIGHT_MAX = 1000;
const NAME_MAX_CHARS = 64;
const BASE_URL_MAX_CHARS = 2048;
const WHOLE_NUMBER = /^\d+$/;

const KIND_LABELS: Record<ChannelKind, string> = {
  deepseek: 'DeepSeek (with its balance)',
  'openai-compatible': 'OpenAI-compatible',
};

/**
 * Adds a channel or edits one. The API key is write-only: the field starts empty and is never filled
 * from the server (which has only the last four characters to give); on edit, leaving it blank keeps
 * the stored key. The built-in channel's name, URL, key and models come from the environment, so
 * only its priority, weight and switch are editable.
 */
@Component({
  selector: 'cg-channel-dialog',
  imports: [
    LoadState,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    ReactiveFormsModule,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './channel-dialog.html',
  styles: `
    .form {
      display: flex;
      flex-direction: column;
      min-width: min(460px, 80vw);
      gap: 4px;
    }
    .pair {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
      gap: 0 12px;
    }
    .toggle {
      margin: 8px 0 16px;
    }
    .upstream-title {
      font: var(--mat-sys-title-small);
      margin: 8px 0 4px;
    }
  `,
})
export class ChannelDialog {
  private readonly data = inject<ChannelDialogData>(MAT_DIALOG_DATA);
  private readonly dialogRef = inject<MatDialogRef<ChannelDialog, ChannelView>>(MatDialogRef);
  private readonly api = inject(AdminApi);

  protected readonly channel = this.data.channel;
  protected readonly builtIn = this.channel?.builtIn ?? false;
  protected readonly kinds = CHANNEL_KINDS.map((kind) => ({ kind, label: KIND_LABELS[kind] }));
  protected readonly keyHint =
    this.channel === null ? null : `Blank keeps the stored key (${maskedKey(this.channel.apiKeyLast4)}).`;
  protected readonly limits = { priority: PRIORITY_MAX, weight: WEIGHT_MAX, name: NAME_MAX_CHARS };

  private readonly builder = inject(FormBuilder).nonNullable;
  protected readonly form = this.builder.group({
    name: [
      this.channel?.name ?? '',
      [Validators.required, Validators.pattern(/\S/), Validators.maxLength(NAME_MAX_CHARS)],
    ],
    kind: this.builder.control<ChannelKind>(this.channel?.kind ?? 'deepseek'),
    baseUrl: [
      this.channel?.baseUrl ?? '',
      [Validators.required, Validators.pattern(/^\s*https?:\/\/\S+\s*$/), Validators.maxLength(BASE_URL_MAX_CHARS)],
    ],
    // Never pre-filled: the server does not have the key to give, and the console would not show it.
    apiKey: ['', this.channel === null ? [Validators.required, Validators.pattern(/\S/)] : []],
    models: this.builder.control<string[]>(this.channel?.models ?? [], [Validators.required]),
    upstreamModels: this.builder.record<string>(this.channel?.upstreamModels ?? {}),
    priority: [
      this.channel?.priority ?? 0,
      [Validators.required, Validators.min(0), Validators.max(PRIORITY_MAX), Validators.pattern(WHOLE_NUMBER)],
    ],
    weight: [
      this.channel?.weight ?? 1,
      [Validators.required, Validators.min(1), Validators.max(WEIGHT_MAX), Validators.pattern(WHOLE_NUMBER)],
    ],
    enabled: [this.channel?.enabled ?? true],
  });

  protected readonly catalog = this.api.models();
  private readonly catalogPage = loaded(this.catalog);
  /**
   * The catalog's models an upstream can serve (the demo models answer inside CreditGate), plus any
   * model the channel serves that the catalog no longer lists, so editing does not drop it silently.
   */
  protected readonly modelOptions = computed(() => {
    const catalog = (this.catalogPage()?.items ?? [])
      .filter((model) => model.provider !== 'demo')
      .map((model) => ({ model: model.model, label: `${model.model} · ${model.displayName}` }));
    const listed = new Set(catalog.map((option) => option.model));
    const unlisted = (this.channel?.models ?? [])
      .filter((model) => !listed.has(model))
      .map((model) => ({ model, label: `${model} (not in the catalog)` }));
    return [...catalog, ...unlisted];
  });
  protected readonly selectedModels = toSignal(
    this.form.controls.models.valueChanges.pipe(startWith(this.form.controls.models.value)),
    { requireSync: true },
  );
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    if (this.channel !== null) this.form.controls.kind.disable();
    if (this.builtIn) {
      for (const control of [
        this.form.controls.name,
        this.form.controls.baseUrl,
        this.form.controls.apiKey,
        this.form.controls.models,
        this.form.controls.upstreamModels,
      ]) {
        control.disable();
      }
    }
    // Each selected model gets a field for its upstream name; the names of deselected models are kept
    // (re-selecting restores them) but not sent.
    this.addUpstreamFields(this.form.controls.models.value);
    this.form.controls.models.valueChanges.subscribe((models) => {
      this.addUpstreamFields(models);
    });
  }

  protected save(): void {
    if (this.form.invalid || this.saving()) {
      this.form.markAllAsTouched();
      return;
    }
    const request = this.request(this.form.getRawValue());
    if (request === null) {
      // Nothing changed: nothing to save.
      this.dialogRef.close();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    request.subscribe({
      next: (saved) => {
        this.dialogRef.close(saved);
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(toApiError(error).summary);
      },
    });
  }

  private request(value: ChannelFormValue): Observable<ChannelView> | null {
    if (this.channel === null) return this.api.createChannel(createChannelRequest(value));
    const change = updateChannelRequest(this.channel, value);
    return Object.keys(change).length === 0 ? null : this.api.updateChannel(this.channel.id, change);
  }

  private addUpstreamFields(models: readonly string[]): void {
    for (const model of models) {
      if (!this.form.controls.upstreamModels.contains(model)) {
        this.form.controls.upstreamModels.addControl(model, this.builder.control(''));
      }
    }
  }
}

import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import {
  type AdminUsageItem,
  type ChatResponse,
  type DemoLabChatRequest,
  PROMPT_MAX_CHARS,
} from '@creditgate/contract';
import { firstValueFrom } from 'rxjs';
import { AdminApi } from '@app/core/admin-api';
import { type ApiError, toApiError } from '@app/core/api-error';
import { AuthSession } from '@app/core/auth-session';
import { LoadState } from '@app/shared/load-state';
import { loaded } from '@app/shared/loaded';
import { StatusChip } from '@app/shared/status-chip';
import { type PickedUser, UserPicker } from '@app/shared/user-picker';

/** What one run of the lab shows: the answer or the error, and the credits before and after. */
export interface LabRun {
  user: PickedUser;
  model: string;
  answer: ChatResponse | null;
  error: ApiError | null;
  creditsCharged: number;
  balanceBefore: number;
  balanceAfter: number;
  usageRow: AdminUsageItem | null;
}

/** What each demo model does (they exist only in demo mode, where no call leaves the machine). */
const DEMO_BEHAVIOUR: Record<string, string> = {
  'demo-chat': 'answers; charged',
  'demo-slow': 'answers after 3 s; charged',
  'demo-timeout': 'never answers: times out, nothing charged',
  'demo-empty': 'answers empty: nothing charged',
  'demo-error': 'provider error: nothing charged',
};

const FINISH_LABELS: Record<ChatResponse['finishReason'], string> = {
  stop: 'stop (a complete answer)',
  length: 'length (cut at the output limit)',
  tool_calls: 'tool_calls (the model asks for a tool; send its result in the next message)',
};

/** DeepSeek's thinking switch as the lab offers it: the model's default (on), or fixed on or off. */
export type ThinkingChoice = 'default' | 'enabled' | 'disabled';

/** The sample tool the lab can offer: a function with a JSON schema, as a client app would send it. */
export const SAMPLE_TOOL: NonNullable<DemoLabChatRequest['tools']>[number] = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: "Today's weather in a city.",
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'The city, e.g. Hangzhou' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city'],
    },
  },
};

/** The lab's switches as the demo-lab request's fields; the defaults are left out. */
export function chatOptions(choice: {
  thinking: ThinkingChoice;
  jsonMode: boolean;
  offerTool: boolean;
}): Pick<DemoLabChatRequest, 'thinking' | 'jsonMode' | 'tools'> {
  return {
    ...(choice.thinking === 'default' ? {} : { thinking: choice.thinking }),
    ...(choice.jsonMode ? { jsonMode: true } : {}),
    ...(choice.offerTool ? { tools: [SAMPLE_TOOL] } : {}),
  };
}

/**
 * Sends one prompt as a chosen user (or as yourself) through the real billing path, then shows
 * the outcome, what it cost, the balance before and after, and the usage row it left.
 */
@Component({
  selector: 'cg-demo-lab-page',
  imports: [
    DecimalPipe,
    FormsModule,
    LoadState,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    StatusChip,
    UserPicker,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './demo-lab.page.html',
  styleUrl: './demo-lab.page.scss',
})
export class DemoLabPage {
  private readonly api = inject(AdminApi);
  private readonly session = inject(AuthSession);

  protected readonly promptMaxChars = PROMPT_MAX_CHARS;
  protected readonly models = this.api.chatModels();
  private readonly modelsPage = loaded(this.models);
  protected readonly modelList = computed(() => this.modelsPage()?.items ?? []);
  protected readonly demoMode = computed(() => this.modelList().some((model) => model.provider === 'demo'));
  protected readonly behaviour = (model: string): string | undefined => DEMO_BEHAVIOUR[model];

  /** Somebody else, picked by e-mail; nobody picked means yourself. */
  protected readonly otherUser = signal<PickedUser | null>(null);
  protected readonly model = linkedSignal(() => this.modelList()[0]?.model ?? '');
  protected readonly prompt = signal('Write a haiku about prepaid credits.');
  protected readonly thinking = signal<ThinkingChoice>('default');
  protected readonly jsonMode = signal(false);
  protected readonly offerTool = signal(false);
  /** DeepSeek refuses JSON mode when the prompt does not ask for JSON; say so before sending. */
  protected readonly jsonNotAsked = computed(() => this.jsonMode() && !/json/i.test(this.prompt()));
  protected readonly running = signal(false);
  protected readonly run = signal<LabRun | null>(null);
  protected readonly failure = signal<string | null>(null);

  protected readonly target = computed<PickedUser | null>(() => {
    const me = this.session.user();
    return this.otherUser() ?? (me ? { id: me.id, email: me.email } : null);
  });
  protected readonly canSend = computed(
    () => !this.running() && this.target() !== null && this.model() !== '' && this.prompt().trim() !== '',
  );

  protected finishLabel(reason: ChatResponse['finishReason']): string {
    return FINISH_LABELS[reason];
  }

  protected async send(): Promise<void> {
    const user = this.target();
    if (!this.canSend() || user === null) return;
    const model = this.model();
    this.running.set(true);
    this.failure.set(null);
    try {
      const before = await firstValueFrom(this.api.userDetail(user.id));
      let answer: ChatResponse | null = null;
      let error: ApiError | null = null;
      try {
        answer = await firstValueFrom(
          this.api.demoChat({
            userId: user.id,
            model,
            prompt: this.prompt().trim(),
            ...chatOptions({ thinking: this.thinking(), jsonMode: this.jsonMode(), offerTool: this.offerTool() }),
          }),
        );
      } catch (caught) {
        error = toApiError(caught);
      }
      const [after, usage] = await Promise.all([
        firstValueFrom(this.api.userDetail(user.id)),
        firstValueFrom(this.api.usagePage({ userId: user.id, limit: 1 })),
      ]);
      this.run.set({
        user,
        model,
        answer,
        error,
        creditsCharged: answer?.creditsCharged ?? usage.items[0]?.creditsCharged ?? 0,
        balanceBefore: before.credits.balance,
        balanceAfter: after.credits.balance,
        usageRow: usage.items[0] ?? null,
      });
    } catch (caught) {
      this.failure.set(toApiError(caught).summary);
    } finally {
      this.running.set(false);
    }
  }
}

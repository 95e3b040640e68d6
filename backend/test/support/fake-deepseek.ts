import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A tool call the fake makes, as the model would name and fill it. */
export interface FakeToolCall {
  name: string;
  /** The arguments as the JSON text the model writes (streamed in fragments of a few characters). */
  arguments: string;
}

/** A successful answer, shaped as DeepSeek shapes it for the request that asked. */
export interface FakeAnswer {
  kind: 'answer';
  content: string;
  finishReason?: string;
  /**
   * `promptTokens` / `completionTokens` are the reported totals, exactly. `cacheHitTokens` (default 0)
   * is the part of the prompt served from DeepSeek's disk cache; `reasoningTokens` is the part of
   * `completionTokens` spent thinking (default a few, in thinking mode only). `null`: no usage object.
   */
  usage?: { promptTokens: number; completionTokens: number; cacheHitTokens?: number; reasoningTokens?: number } | null;
  /** Sent as the usage object as it is, however wrong (overrides `usage`). */
  rawUsage?: Record<string, unknown>;
  /** Pause after each streamed piece (reasoning, content, tool arguments); before a non-stream answer. */
  delayMs?: number;
  /** Characters per streamed chunk (default 8); also the size of a logprobs token. */
  chunkChars?: number;
  /** Non-stream: blank lines sent before the JSON, as DeepSeek does to keep a waiting connection alive. */
  keepAliveLines?: number;
  /**
   * DeepSeek's keep-alive while the model has not started: `: keep-alive` SSE comments before the
   * first chunk of a stream; for a non-stream answer, the same number of blank lines at that pace.
   */
  keepAliveComments?: { count: number; intervalMs: number };
  /** The thinking text, in thinking mode (default {@link DEFAULT_REASONING}). */
  reasoning?: string;
  /** Made instead of answering when the request offers `tools` and `tool_choice` is not `none`. */
  toolCalls?: FakeToolCall[];
  /** JSON mode gone wrong: DeepSeek replaces output that is not JSON with spaces, finish `stop`. */
  blankJson?: true;
  /** Streams only: the connection breaks right after the finish chunk (no usage chunk, no `[DONE]`). */
  dropAfterFinish?: true;
}

/** What the fake answers to the next well-formed requests (until told otherwise). */
export type FakeBehaviour =
  | FakeAnswer
  /** DeepSeek's error envelope with this status (message defaults to DeepSeek's name for it). */
  | { kind: 'status'; status: number; message?: string }
  /** Streams `content` (SSE), then stops sending without ending the response. */
  | { kind: 'stream-then-stall'; content: string }
  /** Streams `content` (SSE), then drops the connection without finishing. */
  | { kind: 'stream-then-drop'; content: string }
  | { kind: 'hang' }
  | { kind: 'stall-after-headers' }
  /** Starts the status line and headers, then resets the connection. */
  | { kind: 'reset-mid-headers' }
  | { kind: 'not-json' }
  | { kind: 'drop-connection' };

/** One message as recorded; the rest of its fields are kept as they came. */
export type RecordedMessage = Record<string, unknown> & {
  role: string;
  content?: string | Record<string, unknown>[] | null;
  tool_calls?: unknown;
  reasoning_content?: unknown;
};

/** The parsed JSON body exactly as received; the typed fields are the ones tests read most. */
export type RecordedBody = Record<string, unknown> & {
  model?: string;
  messages?: RecordedMessage[];
  max_tokens?: number;
  stream?: boolean;
  // As the client sent them, unchecked: the fake reads them to decide what to answer.
  stream_options?: unknown;
  thinking?: unknown;
  response_format?: unknown;
  tools?: unknown;
  tool_choice?: unknown;
  logprobs?: unknown;
  top_logprobs?: unknown;
};

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: RecordedBody;
}

/** `GET /user/balance`, as DeepSeek answers it (amounts are strings). */
export interface FakeBalance {
  is_available: boolean;
  balance_infos: {
    currency: string;
    total_balance: string;
    granted_balance: string;
    topped_up_balance: string;
  }[];
}

export interface FakeDeepSeekOptions {
  /** The model names the fake accepts (default: today's DeepSeek names and legacy aliases). */
  models?: string[];
  /** The one API key accepted, as DeepSeek checks it (401 otherwise); unset: any key. */
  apiKey?: string;
}

/** Today's names (DeepSeek Models & Pricing, snapshot 2026-11-15). */
export const DEEPSEEK_MODELS = ['deepseek-flash', 'deepseek-v4-pro'] as const;
/**
 * Accepted but never advertised: "legacy names `deepseek-v4-flash` and `deepseek-v4-flash-vision-exp`
 * are still accepted" and served by V4.1-Flash (same page, footnote 1).
 */
const LEGACY_ALIASES = ['deepseek-v4-flash', 'deepseek-v4-flash-vision-exp'];
/** Vision is Flash only; v4-pro "Not supported" (same page). */
const VISION_MODELS = new Set(['deepseek-flash', ...LEGACY_ALIASES]);
export const DEFAULT_REASONING = 'The user wants a short answer. I will give one.';
/** Reasoning tokens reported in thinking mode when the behaviour names none (capped by completion). */
const DEFAULT_REASONING_TOKENS = 8;
const DEFAULT_BEHAVIOUR: FakeBehaviour = { kind: 'answer', content: 'Hello from the fake.' };
const DEFAULT_BALANCE: FakeBalance = {
  is_available: true,
  balance_infos: [{ currency: 'USD', total_balance: '10.00', granted_balance: '0.00', topped_up_balance: '10.00' }],
};

/**
 * DeepSeek's messages for the refusals the fake reproduces. The ones marked "observed" are quoted
 * from real responses (see /work/notes/deepseek-facts.md §1.3–1.5); the others are the fake's own
 * wording for a refusal DeepSeek is known to make but whose text no source quotes.
 */
export const DEEPSEEK_ERRORS = {
  /**
   * Observed since V4.1-Flash (2026-09-10). Before V4 (2025 – Mar 2026) DeepSeek answered
   * `Model Not Exist`; between 2026-07-24 and 2026-09-10 it listed `deepseek-v4-pro or deepseek-v4-flash`.
   * Always HTTP 400, type `invalid_request_error`.
   */
  unknownModel: (supported: readonly string[], passed: unknown) =>
    `The supported API model names are ${supported.join(', ')}, but you passed ${String(passed)}.`,
  /** Observed. */
  jsonWordMissing: "Prompt must contain the word 'json' in some form to use 'response_format' of type 'json_object'.",
  /** Observed (json_schema, 2026-07). */
  responseFormatUnavailable: 'This response_format type is unavailable now',
  /** Observed. */
  reasoningNotPassedBack: 'The `reasoning_content` in the thinking mode must be passed back to the API.',
  /** Observed shape (`Failed to deserialize the JSON body into the target type: …`). */
  deserialize: (detail: string) => `Failed to deserialize the JSON body into the target type: ${detail}`,
  // The fake's own wording from here on.
  imageUnsupported: (model: string) => `The model ${model} does not support image input.`,
  toolChoiceInThinking: 'tool_choice "required" or a named function is not supported in thinking mode.',
  topLogprobsWithoutLogprobs: 'top_logprobs requires logprobs to be true.',
  topLogprobsRange: 'top_logprobs must be an integer between 0 and 20.',
  streamOptionsWithoutStream: 'stream_options should be set only when stream is true.',
} as const;

/** The error names of DeepSeek's error-code page; `type` as observed where known (401, 402). */
const STATUS_ERRORS: Record<number, { message: string; type: string } | undefined> = {
  400: { message: 'Invalid Format', type: 'invalid_request_error' },
  401: { message: 'Authentication Fails (no such user)', type: 'authentication_error' },
  402: { message: 'Insufficient Balance', type: 'unknown_error' },
  422: { message: 'Invalid Parameters', type: 'invalid_request_error' },
  429: { message: 'Rate Limit Reached', type: 'rate_limit_error' },
  500: { message: 'Server Error', type: 'api_error' },
  503: { message: 'Server Overloaded', type: 'api_error' },
};

interface Refusal {
  status: number;
  message: string;
  type?: string;
}

/** How the request asked to be answered, read once from the body. */
interface Ask {
  model: string;
  thinking: boolean;
  stream: boolean;
  includeUsage: boolean;
  toolsOffered: boolean;
  logprobs: boolean;
  topLogprobs: number;
}

/**
 * A stand-in for today's DeepSeek (checked against its docs as of 2026-11): a real HTTP server on
 * 127.0.0.1 that speaks its chat-completions wire format (JSON, and SSE when `stream: true`) and
 * refuses what it refuses, so the official SDK, deadlines and stalls are exercised for real.
 * Thinking is on unless the request disables it. `closedConnections` counts requests whose client
 * went away before an answer.
 */
export class FakeDeepSeek {
  readonly requests: RecordedRequest[] = [];
  /** When each answered response ended (ms since the epoch), in order. */
  readonly finishedAt: number[] = [];
  closedConnections = 0;
  private behaviour: FakeBehaviour = DEFAULT_BEHAVIOUR;
  /** Behaviours for the next chat requests, one each, before `behaviour` again. */
  private readonly upcoming: FakeBehaviour[] = [];
  private balance: FakeBalance = DEFAULT_BALANCE;
  private readonly server: Server;
  private readonly models: readonly string[];
  private readonly apiKey: string | undefined;

  private constructor(options: FakeDeepSeekOptions) {
    this.models = options.models ?? [...DEEPSEEK_MODELS, ...LEGACY_ALIASES];
    this.apiKey = options.apiKey;
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        // A bug in the fake must show as a failed call, not as a crashed test run.
        if (response.headersSent) response.destroy();
        else sendError(response, { status: 500, message: `fake failed: ${String(error)}`, type: 'api_error' });
      });
    });
  }

  static async start(options: FakeDeepSeekOptions = {}): Promise<FakeDeepSeek> {
    const fake = new FakeDeepSeek(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  behave(behaviour: FakeBehaviour): void {
    this.behaviour = behaviour;
  }

  /** The next chat requests get these, one each, in order; then `behave`'s again. */
  behaveNext(...behaviours: FakeBehaviour[]): void {
    this.upcoming.push(...behaviours);
  }

  /** What `GET /user/balance` answers, whatever the chat behaviour. */
  setBalance(balance: FakeBalance): void {
    this.balance = balance;
  }

  reset(): void {
    this.requests.length = 0;
    this.finishedAt.length = 0;
    this.closedConnections = 0;
    this.behaviour = DEFAULT_BEHAVIOUR;
    this.upcoming.length = 0;
    this.balance = DEFAULT_BALANCE;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const method = request.method ?? 'GET';
    const path = (request.url ?? '').split('?')[0] ?? '';
    let parsed: unknown = {};
    let parseError: string | undefined;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch (error) {
      parseError = error instanceof Error ? error.message : String(error);
    }
    const body: RecordedBody = isRecord(parsed) ? parsed : {};
    this.requests.push({ method, path, authorization: request.headers.authorization, body });
    response.on('close', () => {
      if (response.writableFinished) this.finishedAt.push(Date.now());
      else this.closedConnections += 1;
    });

    if (this.apiKey !== undefined && request.headers.authorization !== `Bearer ${this.apiKey}`) {
      sendError(response, { status: 401, ...(STATUS_ERRORS[401] ?? { message: 'Authentication Fails' }) });
      return;
    }
    if (method === 'GET' && path === '/user/balance') {
      sendJson(response, 200, this.balance);
      return;
    }
    if (method === 'GET' && (path === '/models' || path === '/v1/models')) {
      const data = this.models.filter((model) => !LEGACY_ALIASES.includes(model));
      sendJson(response, 200, {
        object: 'list',
        data: data.map((id) => ({ id, object: 'model', owned_by: 'deepseek' })),
      });
      return;
    }
    if (method !== 'POST' || (path !== '/chat/completions' && path !== '/v1/chat/completions')) {
      sendError(response, { status: 404, message: `Not Found: ${method} ${path}` });
      return;
    }
    if (parseError !== undefined || !isRecord(parsed)) {
      sendError(response, { status: 400, message: DEEPSEEK_ERRORS.deserialize(parseError ?? 'expected an object') });
      return;
    }
    const refusal = this.refusalOf(body);
    if (refusal) {
      sendError(response, refusal);
      return;
    }
    await this.behaveOn(body, request, response);
  }

  /** What DeepSeek refuses before running the model; `undefined` when the request is acceptable. */
  private refusalOf(body: RecordedBody): Refusal | undefined {
    const bad = (message: string): Refusal => ({ status: 400, message });
    if (body.model === undefined) return bad(DEEPSEEK_ERRORS.deserialize('missing field `model`'));
    if (!Array.isArray(body.messages)) return bad(DEEPSEEK_ERRORS.deserialize('missing field `messages`'));
    if (typeof body.model !== 'string' || !this.models.includes(body.model)) {
      const advertised = this.models.filter((model) => !LEGACY_ALIASES.includes(model));
      return bad(DEEPSEEK_ERRORS.unknownModel(advertised, body.model));
    }
    const thinking = body.thinking;
    if (thinking !== undefined && !(isRecord(thinking) && ['enabled', 'disabled'].includes(String(thinking['type'])))) {
      return bad(DEEPSEEK_ERRORS.deserialize('thinking: unknown variant, expected `enabled` or `disabled`'));
    }
    // Typed as messages, but as the client sent them: anything may be in the array.
    const messages = body.messages.filter((message: unknown) => isRecord(message));
    const format = body.response_format;
    if (isRecord(format) && format['type'] !== 'text') {
      if (format['type'] !== 'json_object') return bad(DEEPSEEK_ERRORS.responseFormatUnavailable);
      const prompt = messages
        .filter((message) => message.role === 'system' || message.role === 'user')
        .map(textOf)
        .join('\n');
      if (!/json/i.test(prompt)) return bad(DEEPSEEK_ERRORS.jsonWordMissing);
    }
    if (!VISION_MODELS.has(body.model) && messages.some(hasImage)) {
      return bad(DEEPSEEK_ERRORS.imageUnsupported(body.model));
    }
    if (isThinking(body)) {
      const choice = body.tool_choice;
      if (choice === 'required' || isRecord(choice)) return bad(DEEPSEEK_ERRORS.toolChoiceInThinking);
      // After a turn with tool calls, its reasoning must come back in every later request.
      const dropped = messages.some(
        (message, index) =>
          message.role === 'assistant' &&
          Array.isArray(message.tool_calls) &&
          message.tool_calls.length > 0 &&
          typeof message.reasoning_content !== 'string' &&
          index < messages.length - 1,
      );
      if (dropped) return bad(DEEPSEEK_ERRORS.reasoningNotPassedBack);
    }
    const top = body.top_logprobs;
    if (top !== undefined && top !== null) {
      if (typeof top !== 'number' || !Number.isInteger(top) || top < 0 || top > 20) {
        return bad(DEEPSEEK_ERRORS.topLogprobsRange);
      }
      if (body.logprobs !== true) return bad(DEEPSEEK_ERRORS.topLogprobsWithoutLogprobs);
    }
    if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
      return bad(DEEPSEEK_ERRORS.streamOptionsWithoutStream);
    }
    return undefined;
  }

  private async behaveOn(body: RecordedBody, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const behaviour = this.upcoming.shift() ?? this.behaviour;
    switch (behaviour.kind) {
      case 'reset-mid-headers':
        request.socket.write('HTTP/1.1 200 OK\r\nContent-Type: applic', () => request.socket.destroy());
        return;
      case 'hang':
        return;
      case 'stall-after-headers':
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.flushHeaders();
        return;
      case 'drop-connection':
        request.socket.destroy();
        return;
      case 'not-json':
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>gateway error</html>');
        return;
      case 'status': {
        const known = STATUS_ERRORS[behaviour.status];
        sendError(response, {
          status: behaviour.status,
          message: behaviour.message ?? known?.message ?? `fake error ${behaviour.status}`,
          type: known?.type ?? 'invalid_request_error',
        });
        return;
      }
      case 'stream-then-stall':
      case 'stream-then-drop': {
        response.writeHead(200, { 'Content-Type': 'text/event-stream' });
        const base = { id: 'chatcmpl-stall', object: 'chat.completion.chunk', created: 0, model: body.model };
        for (const [index, piece] of piecesOf(behaviour.content, 8).entries()) {
          const delta = index === 0 ? { role: 'assistant', content: piece } : { content: piece };
          response.write(
            `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`,
          );
        }
        if (behaviour.kind === 'stream-then-drop') {
          // Let the pieces reach the gateway, then cut the connection mid-answer.
          await sleep(50);
          request.socket.destroy();
        }
        return;
      }
      case 'answer':
        await this.answer(behaviour, body, response);
    }
  }

  private async answer(behaviour: FakeAnswer, body: RecordedBody, response: ServerResponse): Promise<void> {
    const ask: Ask = {
      model: String(body.model),
      thinking: isThinking(body),
      stream: body.stream === true,
      includeUsage: isRecord(body.stream_options) && body.stream_options['include_usage'] === true,
      toolsOffered: Array.isArray(body.tools) && body.tools.length > 0 && body.tool_choice !== 'none',
      logprobs: body.logprobs === true,
      topLogprobs: typeof body.top_logprobs === 'number' ? body.top_logprobs : 0,
    };
    const chunkChars = behaviour.chunkChars ?? 8;
    const toolCalls = ask.toolsOffered && behaviour.toolCalls?.length ? behaviour.toolCalls : undefined;
    const reasoning = ask.thinking ? (behaviour.reasoning ?? DEFAULT_REASONING) : undefined;
    const content = toolCalls
      ? ''
      : behaviour.blankJson
        ? ' '.repeat(Math.max(behaviour.content.length, 4))
        : behaviour.content;
    const finishReason = behaviour.finishReason ?? (toolCalls ? 'tool_calls' : 'stop');
    const usage = behaviour.rawUsage ?? (behaviour.usage === null ? undefined : usageOf(behaviour.usage, ask.thinking));
    const calls = toolCalls?.map((call, index) => ({ id: toolCallId(index), ...call }));
    const contentPieces = piecesOf(content, chunkChars);
    const logprobsOf = (pieces: string[]) =>
      ask.logprobs ? { content: pieces.map((piece, index) => logprobEntry(piece, index, ask.topLogprobs)) } : null;
    const base = {
      id: `fake-${randomBytes(8).toString('hex')}`,
      created: Math.floor(Date.now() / 1000),
      model: ask.model,
      system_fingerprint: 'fp_fake_deepseek',
    };
    const pause = () => sleep(behaviour.delayMs ?? 0);

    if (!ask.stream) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      for (let line = 0; line < (behaviour.keepAliveLines ?? 0); line += 1) {
        response.write('\n');
        await sleep(20);
      }
      for (let line = 0; line < (behaviour.keepAliveComments?.count ?? 0); line += 1) {
        response.write('\n');
        await sleep(behaviour.keepAliveComments?.intervalMs ?? 0);
      }
      await pause();
      const message = {
        role: 'assistant',
        content,
        ...(reasoning === undefined ? {} : { reasoning_content: reasoning }),
        ...(calls
          ? {
              tool_calls: calls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
      response.end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message, logprobs: logprobsOf(contentPieces), finish_reason: finishReason }],
          ...(usage ? { usage } : {}),
        }),
      );
      return;
    }

    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    for (let comment = 0; comment < (behaviour.keepAliveComments?.count ?? 0); comment += 1) {
      response.write(': keep-alive\n\n');
      await sleep(behaviour.keepAliveComments?.intervalMs ?? 0);
    }
    const send = (choices: unknown[], extra: Record<string, unknown> = {}): void => {
      response.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
    };
    const choice = (delta: Record<string, unknown>, logprobs: unknown = null, finish: string | null = null) => [
      { index: 0, delta, logprobs, finish_reason: finish },
    ];

    send(
      choice(
        reasoning === undefined
          ? { role: 'assistant', content: calls ? null : '' }
          : { role: 'assistant', content: null, reasoning_content: '' },
      ),
    );
    for (const piece of piecesOf(reasoning ?? '', chunkChars)) {
      send(choice({ content: null, reasoning_content: piece }));
      await pause();
    }
    for (const piece of contentPieces) {
      send(choice({ content: piece }, logprobsOf([piece])));
      await pause();
    }
    for (const [index, call] of (calls ?? []).entries()) {
      send(
        choice({
          tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
        }),
      );
      for (const fragment of piecesOf(call.arguments, 4)) {
        send(choice({ tool_calls: [{ index, function: { arguments: fragment } }] }));
        await pause();
      }
    }
    send(choice({ content: calls ? null : '' }, null, finishReason));
    if (behaviour.dropAfterFinish === true) {
      // The whole answer and its finish went out; the connection breaks before the usage and [DONE].
      await sleep(20);
      response.socket?.destroy();
      return;
    }
    // As DeepSeek: the usage chunk only for a request that asked for it.
    if (usage && ask.includeUsage) send([], { usage });
    response.end('data: [DONE]\n\n');
  }
}

/** DeepSeek's usage object: hit + miss = prompt; completion includes the reasoning tokens. */
function usageOf(reported: FakeAnswer['usage'], thinking: boolean): Record<string, unknown> {
  const prompt = reported?.promptTokens ?? 12;
  const completion = reported?.completionTokens ?? 30;
  const hit = reported?.cacheHitTokens ?? 0;
  const reasoning = reported?.reasoningTokens ?? Math.min(DEFAULT_REASONING_TOKENS, completion);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: hit },
    prompt_cache_hit_tokens: hit,
    prompt_cache_miss_tokens: prompt - hit,
    ...(thinking ? { completion_tokens_details: { reasoning_tokens: reasoning } } : {}),
  };
}

/** One logprobs entry for a content piece; the alternatives are made up, each less likely than the last. */
function logprobEntry(token: string, position: number, top: number) {
  const logprob = -0.01 * (position + 1);
  const entry = (text: string, value: number) => ({ token: text, logprob: value, bytes: [...Buffer.from(text)] });
  const alternatives = Array.from({ length: top }, (_, rank) =>
    rank === 0 ? entry(token, logprob) : entry(`alt${rank}`, logprob - rank),
  );
  return { ...entry(token, logprob), top_logprobs: alternatives };
}

/** Like DeepSeek's: `call_<index>_<24 letters and digits>`. */
function toolCallId(index: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const random = [...randomBytes(24)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return `call_${String(index).padStart(2, '0')}_${random}`;
}

function isThinking(body: RecordedBody): boolean {
  return !(isRecord(body.thinking) && body.thinking['type'] === 'disabled');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function partsOf(message: RecordedMessage): Record<string, unknown>[] {
  return Array.isArray(message.content) ? message.content.filter(isRecord) : [];
}

function textOf(message: RecordedMessage): string {
  if (typeof message.content === 'string') return message.content;
  return partsOf(message)
    .map((part) => (part['type'] === 'text' && typeof part['text'] === 'string' ? part['text'] : ''))
    .join('\n');
}

function hasImage(message: RecordedMessage): boolean {
  return partsOf(message).some((part) => part['type'] === 'image_url');
}

/** In UTF-16 code units, as before: a piece may end inside a surrogate pair, as a byte stream may. */
function piecesOf(text: string, size: number): string[] {
  return text.match(new RegExp(`.{1,${size}}`, 'gs')) ?? [];
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** DeepSeek's error envelope: `{"error":{"message","type","param":null,"code"}}`. */
function sendError(response: ServerResponse, refusal: Refusal): void {
  sendJson(response, refusal.status, {
    error: {
      message: refusal.message,
      type: refusal.type ?? 'invalid_request_error',
      param: null,
      code: 'invalid_request_error',
    },
  });
}

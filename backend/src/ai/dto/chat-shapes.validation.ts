import { registerDecorator, type ValidationArguments } from 'class-validator';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';

/**
 * Validators for the JSON shapes of OpenAI's and DeepSeek's chat request that class-validator has
 * no decorators for: unions (content as a string or parts, tool_choice as a string or an object)
 * and open objects (a tool's JSON schema). The checked value is never transformed: what passes is
 * forwarded upstream exactly as the client sent it.
 *
 * Each checker answers the first problem it finds, or undefined when the value is fine.
 */
type Checker = (value: unknown) => string | undefined;

/** The most characters of text one message may hold (the body limit bounds the total). */
export const MAX_MESSAGE_CHARS = 1_000_000;
/** DeepSeek's own limits (api-docs.deepseek.com, read 2026-11-30): 128 tools, 16 stop sequences. */
export const MAX_TOOLS = 128;
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first key of `value` that is not in `allowed`. */
function unknownKeyOf(value: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  return Object.keys(value).find((key) => !allowed.includes(key));
}

function checkTextPart(part: Record<string, unknown>): string | undefined {
  if (unknownKeyOf(part, ['type', 'text']) !== undefined) return 'a text part has only type and text';
  if (typeof part['text'] !== 'string') return 'a text part needs text (a string)';
  if (part['text'].length > MAX_MESSAGE_CHARS) return `a text part holds at most ${MAX_MESSAGE_CHARS} characters`;
  return undefined;
}

function checkImagePart(part: Record<string, unknown>): string | undefined {
  if (unknownKeyOf(part, ['type', 'image_url']) !== undefined) return 'an image part has only type and image_url';
  const image = part['image_url'];
  if (!isObject(image) || typeof image['url'] !== 'string' || image['url'] === '') {
    return 'an image part needs image_url.url (an http(s) or data: URL)';
  }
  if (unknownKeyOf(image, ['url', 'detail']) !== undefined) return 'image_url has only url and detail';
  if (!/^(https?:|data:image\/)/i.test(image['url']))
    return 'image_url.url must be an http(s) URL or a data:image/… URL';
  if (image['detail'] !== undefined && !['auto', 'low', 'high'].includes(image['detail'] as string)) {
    return 'image_url.detail must be auto, low or high';
  }
  return undefined;
}

/**
 * Message content: a string, or an array of parts (images only where `images` allows them). A
 * person's or a system's words must say something (`blank` false); a tool may answer nothing.
 */
function checkContent(content: unknown, images: boolean, blank = false): string | undefined {
  if (typeof content === 'string') {
    if (!blank && content.trim() === '') return 'content must not be empty or blank';
    return content.length > MAX_MESSAGE_CHARS ? `content holds at most ${MAX_MESSAGE_CHARS} characters` : undefined;
  }
  if (!Array.isArray(content) || content.length === 0) return 'content must be a string or a non-empty array of parts';
  for (const part of content) {
    if (!isObject(part)) return 'each content part must be an object';
    if (part['type'] === 'text') {
      const problem = checkTextPart(part);
      if (problem) return problem;
    } else if (part['type'] === 'image_url' && images) {
      const problem = checkImagePart(part);
      if (problem) return problem;
    } else {
      return images ? 'a content part is {type: "text"} or {type: "image_url"}' : 'this role takes text parts only';
    }
  }
  return undefined;
}

function checkToolCalls(calls: unknown): string | undefined {
  if (!Array.isArray(calls) || calls.length === 0) return 'tool_calls must be a non-empty array';
  for (const call of calls) {
    if (!isObject(call) || unknownKeyOf(call, ['id', 'type', 'function']) !== undefined) {
      return 'a tool call is {id, type: "function", function: {name, arguments}}';
    }
    const fn = call['function'];
    if (
      typeof call['id'] !== 'string' ||
      call['type'] !== 'function' ||
      !isObject(fn) ||
      typeof fn['name'] !== 'string' ||
      typeof fn['arguments'] !== 'string' ||
      unknownKeyOf(fn, ['name', 'arguments']) !== undefined
    ) {
      return 'a tool call is {id, type: "function", function: {name, arguments}}';
    }
  }
  return undefined;
}

const ROLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  system: ['role', 'content', 'name'],
  user: ['role', 'content', 'name'],
  // `refusal`: OpenAI's answers carry it, and the openai SDK sends assistant turns back with it.
  assistant: ['role', 'content', 'name', 'tool_calls', 'reasoning_content', 'prefix', 'refusal'],
  tool: ['role', 'content', 'tool_call_id'],
};

/** One chat message in OpenAI's and DeepSeek's shape (docs/openai-compatibility.md). */
export const checkMessage: Checker = (message) => {
  if (!isObject(message)) return 'must be an object';
  const role = message['role'];
  const allowed = typeof role === 'string' ? ROLE_FIELDS[role] : undefined;
  if (allowed === undefined) return 'role must be system, user, assistant or tool';
  const extra = unknownKeyOf(message, allowed);
  if (extra !== undefined) return `a ${String(role)} message has no field ${extra}`;
  const { content, name } = message;
  if (name !== undefined && (typeof name !== 'string' || name.length > 64))
    return 'name is a string of at most 64 characters';
  switch (role) {
    case 'user':
      return checkContent(content, true);
    case 'system':
      return checkContent(content, false);
    case 'tool':
      if (typeof message['tool_call_id'] !== 'string' || message['tool_call_id'] === '') {
        return 'a tool message needs tool_call_id';
      }
      return checkContent(content, false, true);
    default: {
      const { tool_calls: toolCalls, reasoning_content: reasoning, prefix } = message;
      if (reasoning !== undefined && reasoning !== null && typeof reasoning !== 'string') {
        return 'reasoning_content is a string';
      }
      if (prefix !== undefined && typeof prefix !== 'boolean') return 'prefix is a boolean';
      const { refusal } = message;
      if (refusal !== undefined && refusal !== null && typeof refusal !== 'string')
        return 'refusal is a string or null';
      if (toolCalls !== undefined) {
        const problem = checkToolCalls(toolCalls);
        if (problem) return problem;
      }
      if (content === undefined || content === null || content === '') {
        return toolCalls === undefined ? 'an assistant message needs content or tool_calls' : undefined;
      }
      return checkContent(content, false, toolCalls !== undefined);
    }
  }
};

/** A function tool: `{type: "function", function: {name, description?, parameters?, strict?}}`. */
export const checkTool: Checker = (tool) => {
  if (!isObject(tool) || tool['type'] !== 'function' || unknownKeyOf(tool, ['type', 'function']) !== undefined) {
    return 'a tool is {type: "function", function: {name, description?, parameters?, strict?}}';
  }
  const fn = tool['function'];
  if (!isObject(fn) || typeof fn['name'] !== 'string' || !TOOL_NAME.test(fn['name'])) {
    return 'function.name is 1–64 letters, digits, _ or -';
  }
  const extra = unknownKeyOf(fn, ['name', 'description', 'parameters', 'strict']);
  if (extra !== undefined) return `a function has no field ${extra}`;
  if (fn['description'] !== undefined && typeof fn['description'] !== 'string')
    return 'function.description is a string';
  // The schema is the client's: any JSON object, forwarded as it is.
  if (fn['parameters'] !== undefined && !isObject(fn['parameters']))
    return 'function.parameters is a JSON Schema object';
  if (fn['strict'] !== undefined && typeof fn['strict'] !== 'boolean') return 'function.strict is a boolean';
  return undefined;
};

export const checkToolChoice: Checker = (choice) => {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return undefined;
  if (
    isObject(choice) &&
    choice['type'] === 'function' &&
    isObject(choice['function']) &&
    typeof choice['function']['name'] === 'string' &&
    unknownKeyOf(choice, ['type', 'function']) === undefined &&
    unknownKeyOf(choice['function'], ['name']) === undefined
  ) {
    return undefined;
  }
  return 'tool_choice is none, auto, required or {type: "function", function: {name}}';
};

export const checkStop: Checker = (stop) =>
  typeof stop === 'string' ||
  (Array.isArray(stop) && stop.length <= 16 && stop.every((item) => typeof item === 'string'))
    ? undefined
    : 'stop is a string or an array of at most 16 strings';

/** An open JSON object (`metadata`): its content is not ours to check. */
export const checkObject: Checker = (value) => (isObject(value) ? undefined : 'must be an object');

/**
 * A property rule given as a checker: valid when it finds no problem, and the problem (with the
 * index of the element, for arrays checked `each`) as the message.
 */
export function Satisfies(checker: Checker, options: { each?: boolean } = {}): PropertyDecorator {
  const problemOf = (value: unknown): string | undefined => {
    if (!options.each) return checker(value);
    if (!Array.isArray(value)) return 'must be an array';
    for (const [index, element] of value.entries()) {
      const problem = checker(element);
      if (problem !== undefined) return `[${index}]: ${problem}`;
    }
    return undefined;
  };
  return (target, propertyName) => {
    registerDecorator({
      name: `satisfies_${checker.name || 'shape'}`,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => problemOf(value) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'}${options.each ? '' : ': '}${problemOf(args?.value) ?? ''}`,
      },
    });
  };
}

/**
 * The fields of a raw chat body that are forwarded upstream, checked once more as they will be sent:
 * the validation pipe saw a copy without keys such as `__proto__` or `constructor` (it deletes them),
 * so a message or tool carrying one, or such a top-level key, is found here. A tool's `parameters`
 * stay free-form: a JSON schema may well name a property `constructor`. Throws 400 VALIDATION_FAILED
 * listing every problem.
 */
export function assertForwardable(raw: Readonly<Record<string, unknown>>, allowedKeys: readonly string[]): void {
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!allowedKeys.includes(key)) problems.push(`property ${key} should not exist`);
  }
  const { messages, tools } = raw;
  if (Array.isArray(messages)) {
    for (const [index, message] of messages.entries()) {
      const problem = checkMessage(message);
      if (problem !== undefined) problems.push(`messages[${index}]: ${problem}`);
    }
  }
  if (Array.isArray(tools)) {
    for (const [index, tool] of tools.entries()) {
      const problem = checkTool(tool);
      if (problem !== undefined) problems.push(`tools[${index}]: ${problem}`);
    }
  }
  if (problems.length > 0) {
    throw new AppError(ErrorCode.ValidationFailed, 'The request is not valid.', [
      { field: 'body', messages: problems },
    ]);
  }
}

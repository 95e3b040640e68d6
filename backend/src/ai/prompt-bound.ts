import type { ChatInput } from '#src/ai/chat-outcome.js';

/** Tokens DeepSeek's chat template adds around each message (role markers), generously counted. */
const TEMPLATE_TOKENS_PER_MESSAGE = 8;

/**
 * What one image may cost, in prompt tokens, for the hold. DeepSeek does not publish how it counts
 * image tokens; its vision limits (sides up to 8,192 px, downscaled) keep an image's encoding far
 * below this, and the charge comes from the reported usage anyway, so the bound only has to be on
 * the safe side (docs/pricing.md).
 */
export const IMAGE_TOKEN_BOUND = 16_384;

/**
 * The instructions DeepSeek's chat template wraps tool definitions in (fixed text, a few hundred
 * bytes in the published template), counted once when tools are offered.
 */
export const TOOL_PREAMBLE_TOKENS = 512;

const bytesOf = (text: string): number => Buffer.byteLength(text, 'utf8');
const jsonBytesOf = (value: unknown): number => bytesOf(JSON.stringify(value));

/**
 * An upper bound of the prompt's tokens without running the tokenizer: DeepSeek's byte-level BPE
 * never makes more tokens than the text has UTF-8 bytes. Counted: every text part, every other
 * field of a message as JSON (tool calls, reasoning, tool call ids), the template's few tokens per
 * message, the tool definitions as JSON with the template's preamble for them, and
 * `IMAGE_TOKEN_BOUND` per image.
 */
export function promptTokenBound(input: Pick<ChatInput, 'messages' | 'options'>): number {
  let bound = 0;
  for (const message of input.messages) {
    const { role, content, ...rest } = message;
    bound += TEMPLATE_TOKENS_PER_MESSAGE + (Object.keys(rest).length > 0 ? jsonBytesOf(rest) : 0);
    if (typeof content === 'string') bound += bytesOf(content);
    else if (Array.isArray(content)) {
      for (const part of content) bound += part.type === 'image_url' ? IMAGE_TOKEN_BOUND : bytesOf(part.text);
    }
  }
  const { tools } = input.options;
  return bound + (tools === undefined ? 0 : TOOL_PREAMBLE_TOKENS + jsonBytesOf(tools));
}

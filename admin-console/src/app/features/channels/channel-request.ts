import type { ChannelKind, ChannelView, CreateChannelRequest, UpdateChannelRequest } from '@creditgate/contract';

/** What the channel form holds; `apiKey` is what the admin typed (blank on edit: keep the stored key). */
export interface ChannelFormValue {
  name: string;
  kind: ChannelKind;
  baseUrl: string;
  apiKey: string;
  models: string[];
  /** Upstream names typed per model, blanks included; only the selected models' count. */
  upstreamModels: Record<string, string>;
  priority: number;
  weight: number;
  enabled: boolean;
}

/** The non-blank upstream names of the selected models. */
export function upstreamModelsOf(value: Pick<ChannelFormValue, 'models' | 'upstreamModels'>): Record<string, string> {
  return Object.fromEntries(
    value.models.flatMap((model) => {
      const upstream = value.upstreamModels[model]?.trim() ?? '';
      return upstream === '' || upstream === model ? [] : [[model, upstream]];
    }),
  );
}

export function createChannelRequest(value: ChannelFormValue): CreateChannelRequest {
  const upstreamModels = upstreamModelsOf(value);
  return {
    name: value.name.trim(),
    kind: value.kind,
    baseUrl: value.baseUrl.trim(),
    apiKey: value.apiKey.trim(),
    models: value.models,
    ...(Object.keys(upstreamModels).length === 0 ? {} : { upstreamModels }),
    priority: value.priority,
    weight: value.weight,
    enabled: value.enabled,
  };
}

const sameMembers = (left: readonly string[], right: readonly string[]): boolean =>
  left.length === right.length && left.every((item) => right.includes(item));

const sameNames = (left: Record<string, string>, right: Record<string, string>): boolean =>
  sameMembers(Object.keys(left), Object.keys(right)) &&
  Object.entries(left).every(([key, name]) => right[key] === name);

/**
 * Only what the admin changed, so a save never writes back a value that changed meanwhile (a channel
 * the upstream disabled while the dialog was open stays disabled unless the admin switches it on).
 * The built-in channel takes only priority, weight and enabled: the rest is the environment's.
 * The key is sent only when a new one was typed. Empty: nothing to save.
 */
export function updateChannelRequest(channel: ChannelView, value: ChannelFormValue): UpdateChannelRequest {
  const change: UpdateChannelRequest = {};
  if (!channel.builtIn) {
    const name = value.name.trim();
    const baseUrl = value.baseUrl.trim();
    const apiKey = value.apiKey.trim();
    const upstreamModels = upstreamModelsOf(value);
    if (name !== channel.name) change.name = name;
    if (baseUrl !== channel.baseUrl) change.baseUrl = baseUrl;
    if (apiKey !== '') change.apiKey = apiKey;
    if (!sameMembers(value.models, channel.models)) change.models = value.models;
    if (!sameNames(upstreamModels, channel.upstreamModels)) change.upstreamModels = upstreamModels;
  }
  if (value.priority !== channel.priority) change.priority = value.priority;
  if (value.weight !== channel.weight) change.weight = value.weight;
  if (value.enabled !== channel.enabled) change.enabled = value.enabled;
  return change;
}

/** Every API key starts with this, so a leaked key is recognisable (e.g. by secret scanners). */
export const API_KEY_PREFIX = 'cg_live_';

/** An API key as listed: never its secret. */
export interface ApiKeyView {
  id: string;
  name: string;
  /** The visible start of the key, to tell keys apart. */
  prefix: string;
  creditLimit: number | null;
  creditsSpent: number;
  lastUsedAt: string | null;
  createdAt: string;
}

/** The answer to creating a key: the only time its secret is shown. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

export interface ListResponse<T> {
  items: T[];
  nextCursor: string | null;
}

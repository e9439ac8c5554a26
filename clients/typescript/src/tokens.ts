/** A signed-in session's tokens. The refresh token is single-use: each refresh hands out a new one. */
export interface TenantryTokens {
  userId: string;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  accessTokenExpiresAt: number;
}

/**
 * Where the client keeps its session's tokens (in memory by default). A refresh token is single-use and
 * reusing one revokes the session: a store shared by several tabs or processes must hand each refresh's
 * result to all of them.
 */
export interface TenantryTokenStore {
  get(): TenantryTokens | null | Promise<TenantryTokens | null>;
  set(tokens: TenantryTokens | null): void | Promise<void>;
}

export function memoryTokenStore(initial: TenantryTokens | null = null): TenantryTokenStore {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next;
    },
  };
}

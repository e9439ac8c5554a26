import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./generated/tenantry.js";
import type { components as adminComponents, paths as adminPaths } from "./generated/tenantry-admin.js";
import { TenantryError, TenantryMfaRequiredError } from "./errors.js";
import { memoryTokenStore, type TenantryTokenStore, type TenantryTokens } from "./tokens.js";

export { TenantryError, TenantryMfaRequiredError, type TenantryFieldError } from "./errors.js";
export { memoryTokenStore, type TenantryTokenStore, type TenantryTokens } from "./tokens.js";
export type { paths, components } from "./generated/tenantry.js";
export type { paths as AdminPaths, components as AdminComponents } from "./generated/tenantry-admin.js";

/** The SYSTEM dialect's models (generated from openapi/tenantry.json). */
export type Schemas = components["schemas"];
/** The operator API's models (generated from openapi/tenantry_admin.json). */
export type AdminSchemas = adminComponents["schemas"];

/** One page of a list and how many items there are in all (`X-Total-Count`). */
export interface TenantryPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  hasMore: boolean;
}

type Answer = { data?: unknown; error?: unknown; response: Response };

/** The envelope's `data`, or a `TenantryError` for an error answer (or a success that is not one). */
function unwrap<T>(answer: Answer): T {
  if (answer.error !== undefined || !answer.response.ok) {
    throw TenantryError.from(answer.response.status, answer.error ?? answer.data, answer.response.headers);
  }
  return (answer.data as { data: T }).data;
}

function page<T>(answer: Answer, page: number, pageSize: number): TenantryPage<T> {
  const items = unwrap<T[]>(answer) ?? [];
  const header = answer.response.headers.get("X-Total-Count");
  const total = header === null ? items.length : Number(header);
  return { items, total, page, pageSize, hasMore: page * pageSize < total };
}

/** Every item of every page, fetching the next page only when the caller gets there. */
async function* pages<T>(fetchPage: (page: number, pageSize: number) => Promise<TenantryPage<T>>, pageSize: number): AsyncGenerator<T> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200) {
    throw new RangeError("A page holds 1 to 200 items.");
  }
  for (let n = 1; ; n++) {
    const current = await fetchPage(n, pageSize);
    yield* current.items;
    if (!current.hasMore || current.items.length === 0) {
      return;
    }
  }
}

export interface TenantryClientOptions {
  /** The server, e.g. `https://tenantry.example.com`. */
  baseUrl: string;
  /** Sent as `X-PORTAL-ACCESS-CODE` on every request. */
  portalAccessCode: string;
  /** Sent as `Accept-Language`: messages come back in it (en, zh, zh-Hant, ja, vi). */
  language?: string;
  /** Where the session's tokens are kept (in memory by default). */
  tokens?: TenantryTokenStore;
  /** An access token this close to expiry (ms) is refreshed before it is sent. Default 30 s. */
  refreshBeforeExpiryMs?: number;
  fetch?: typeof globalThis.fetch;
}

const anonymous = ["/web/v1/auth/sign-up", "/web/v1/auth/sign-in", "/web/v1/auth/refresh", "/web/v1/auth/mfa/challenge"];

/**
 * The SYSTEM dialect (`/web/v1`) for one signed-in session: answers unwrapped from the envelope, failures as
 * `TenantryError`, the access token refreshed when needed (one refresh at a time), lists paged as async
 * iterables. `raw` is the openapi-fetch client for every endpoint.
 */
export class TenantryClient {
  readonly raw: Client<paths>;
  readonly tokens: TenantryTokenStore;
  private readonly options: TenantryClientOptions;
  private readonly fetchImpl: typeof globalThis.fetch;
  private refreshing: Promise<string | null> | null = null;
  private readonly retries = new Map<string, Request>();

  constructor(options: TenantryClientOptions) {
    this.options = options;
    this.tokens = options.tokens ?? memoryTokenStore();
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.raw = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/$/, ""), fetch: this.fetchImpl });
    this.raw.use(this.middleware());
  }

  private middleware(): Middleware {
    return {
      onRequest: async ({ request, schemaPath, id }) => {
        request.headers.set("X-PORTAL-ACCESS-CODE", this.options.portalAccessCode);
        if (this.options.language && !request.headers.has("Accept-Language")) {
          request.headers.set("Accept-Language", this.options.language);
        }
        if (anonymous.includes(schemaPath) || request.headers.has("Authorization")) {
          return request;
        }
        const tokens = await this.tokens.get();
        let token = tokens?.accessToken ?? null;
        if (tokens && this.nearExpiry(tokens)) {
          token = await this.refresh(tokens.accessToken);
        }
        if (token) {
          request.headers.set("Authorization", `Bearer ${token}`);
          this.retries.set(id, request.clone());
        }
        return request;
      },
      onResponse: async ({ response, id }) => {
        const original = this.retries.get(id);
        this.retries.delete(id);
        if (response.status !== 401 || !original) {
          return response;
        }
        // Expired in between, or refused: refresh once (shared with concurrent callers) and try again.
        const stale = original.headers.get("Authorization")?.slice("Bearer ".length) ?? "";
        const fresh = await this.refresh(stale);
        if (!fresh || fresh === stale) {
          return response;
        }
        const retry = new Request(original, { headers: new Headers(original.headers) });
        retry.headers.set("Authorization", `Bearer ${fresh}`);
        return this.fetchImpl(retry);
      },
    };
  }

  private nearExpiry(tokens: TenantryTokens): boolean {
    return tokens.accessTokenExpiresAt - Date.now() <= (this.options.refreshBeforeExpiryMs ?? 30_000);
  }

  /** A current access token, refreshing at most once at a time; null when there is no session or it ended. */
  private refresh(stale: string): Promise<string | null> {
    const run = async (): Promise<string | null> => {
      const current = await this.tokens.get();
      if (!current) {
        return null;
      }
      if (current.accessToken !== stale && !this.nearExpiry(current)) {
        return current.accessToken;
      }
      const answer = await this.raw.POST("/web/v1/auth/refresh", { body: { refreshToken: current.refreshToken } });
      if (answer.response.status === 401) {
        await this.tokens.set(null);
        return null;
      }
      const next = await this.keep(unwrap<Schemas["SystemAuthTokens"]>(answer));
      return next.accessToken;
    };
    // One refresh in flight; those who arrive meanwhile wait for it, then decide again.
    const chained = (this.refreshing ?? Promise.resolve(null)).catch(() => null).then(run);
    this.refreshing = chained;
    void chained.finally(() => {
      if (this.refreshing === chained) {
        this.refreshing = null;
      }
    }).catch(() => undefined);
    return chained;
  }

  private async keep(t: Schemas["SystemAuthTokens"]): Promise<TenantryTokens> {
    const tokens: TenantryTokens = {
      userId: t.userBizId,
      sessionId: t.sessionId,
      accessToken: t.accessToken,
      refreshToken: t.refreshToken,
      accessTokenExpiresAt: Date.now() + Number(t.expiresIn) * 1000,
    };
    await this.tokens.set(tokens);
    return tokens;
  }

  async signUp(email: string, password: string, displayName: string): Promise<TenantryTokens> {
    return this.keep(unwrap(await this.raw.POST("/web/v1/auth/sign-up", { body: { email, password, displayName } })));
  }

  /** Signs in; an account with MFA throws `TenantryMfaRequiredError` with the challenge to complete. */
  async signIn(email: string, password: string): Promise<TenantryTokens> {
    const data = unwrap<Schemas["SystemAuthTokens"] | Schemas["SystemMfaChallenge"]>(await this.raw.POST("/web/v1/auth/sign-in", { body: { email, password } }));
    if ("challengeId" in data) {
      throw new TenantryMfaRequiredError(data.challengeId, "AUTH.MFA_REQUIRED");
    }
    return this.keep(data);
  }

  async completeMfaSignIn(challengeId: string, code: string): Promise<TenantryTokens> {
    return this.keep(unwrap(await this.raw.POST("/web/v1/auth/mfa/challenge", { body: { challengeId, code } })));
  }

  /** Revokes the session at once and forgets its tokens. */
  async signOut(): Promise<void> {
    unwrap(await this.raw.POST("/web/v1/auth/sign-out"));
    await this.tokens.set(null);
  }

  /** The signed-in account: id, email, display name, whether the email is verified. */
  async getMe(): Promise<Schemas["SystemAccount"]> {
    return unwrap(await this.raw.GET("/web/v1/auth/me"));
  }

  /**
   * Proves the account's address with the `code` from the verification email (needs this client's session) or the
   * `token` from its link (works signed out). Wrong, used or expired ones throw `AUTH.EMAIL_VERIFICATION_INVALID`.
   */
  async verifyEmail(proof: { code?: string; token?: string }): Promise<Schemas["SystemAccount"]> {
    return unwrap(await this.raw.POST("/web/v1/auth/email/verify", { body: proof }));
  }

  /** Sends a new verification email (earlier links and codes stop working); `AUTH.EMAIL_ALREADY_VERIFIED` when verified. */
  async resendVerificationEmail(): Promise<Schemas["SystemVerificationSent"]> {
    return unwrap(await this.raw.POST("/web/v1/auth/email/verify/resend"));
  }

  async listMyWorkspaces(): Promise<Schemas["SystemWorkspaceItem"][]> {
    return unwrap(await this.raw.GET("/web/v1/system/workspaces/mine"));
  }

  async createWorkspace(workspaceName: string, options: { workspaceKind?: "LIVE" | "SANDBOX"; workspaceTimezone?: string } = {}): Promise<Schemas["SystemWorkspaceDetail"]> {
    return unwrap(await this.raw.POST("/web/v1/workspaces/self", { body: { workspaceName, ...options } }));
  }

  async getWorkspace(workspaceId: string): Promise<Schemas["SystemWorkspaceDetail"]> {
    return unwrap(await this.raw.GET("/web/v1/workspaces/{workspaceBizId}", { params: { path: { workspaceBizId: workspaceId } } }));
  }

  /** The caller's role, ownership, status and permissions in a workspace (404 `TenantryError` for non-members). */
  async getMyAccess(workspaceId: string): Promise<Schemas["SystemWorkspaceAccess"]> {
    return unwrap(await this.raw.GET("/web/v1/workspaces/{workspaceBizId}/access/mine", { params: { path: { workspaceBizId: workspaceId } } }));
  }

  async listRoles(workspaceId: string): Promise<Schemas["SystemRole"][]> {
    return unwrap(await this.raw.GET("/web/v1/workspaces/{workspaceId}/roles", { params: { path: { workspaceId } } }));
  }

  async createRole(workspaceId: string, roleName: string, permissions: string[], description?: string): Promise<Schemas["SystemRole"]> {
    return unwrap(await this.raw.POST("/web/v1/workspaces/{workspaceId}/roles", { params: { path: { workspaceId } }, body: { roleName, permissions, description } }));
  }

  async invite(workspaceId: string, email: string, roleBizId: string): Promise<Schemas["SystemInvitation"]> {
    return unwrap(await this.raw.POST("/web/v1/workspaces/{workspaceBizId}/invitations", { params: { path: { workspaceBizId: workspaceId } }, body: { email, roleBizId } }));
  }

  async listMyInvitations(): Promise<Schemas["SystemMyInvitation"][]> {
    return unwrap(await this.raw.GET("/web/v1/tenant/invitations/mine"));
  }

  /** Accepts an invitation: with the `token` from its email, or without one when it was sent to this account's verified address. */
  async acceptInvitation(invitationId: string, token?: string): Promise<Schemas["SystemWorkspaceItem"]> {
    return unwrap(
      await this.raw.POST("/web/v1/tenant/invitations/{invitationBizId}/accept", {
        params: { path: { invitationBizId: invitationId } },
        body: token === undefined ? undefined : { token },
      }),
    );
  }

  /** Declines an invitation (the same rules as `acceptInvitation`). */
  async declineInvitation(invitationId: string, token?: string): Promise<void> {
    unwrap(
      await this.raw.POST("/web/v1/tenant/invitations/{invitationBizId}/decline", {
        params: { path: { invitationBizId: invitationId } },
        body: token === undefined ? undefined : { token },
      }),
    );
  }

  async getMembersPage(workspaceId: string, pageNumber = 1, pageSize = 50): Promise<TenantryPage<Schemas["SystemMember"]>> {
    return page(await this.raw.GET("/web/v1/workspaces/{workspaceId}/members", { params: { path: { workspaceId }, query: { page: pageNumber, pageSize } } }), pageNumber, pageSize);
  }

  listMembers(workspaceId: string, pageSize = 50): AsyncGenerator<Schemas["SystemMember"]> {
    return pages((n, size) => this.getMembersPage(workspaceId, n, size), pageSize);
  }

  async getAuditEventsPage(workspaceId: string, pageNumber = 1, pageSize = 50): Promise<TenantryPage<Schemas["SystemAuditEvent"]>> {
    return page(
      await this.raw.GET("/web/v1/workspaces/{workspaceBizId}/audit-events", { params: { path: { workspaceBizId: workspaceId }, query: { page: pageNumber, pageSize } } }),
      pageNumber,
      pageSize,
    );
  }

  listAuditEvents(workspaceId: string, pageSize = 50): AsyncGenerator<Schemas["SystemAuditEvent"]> {
    return pages((n, size) => this.getAuditEventsPage(workspaceId, n, size), pageSize);
  }
}

export function createTenantryClient(options: TenantryClientOptions): TenantryClient {
  return new TenantryClient(options);
}

export interface TenantryAdminClientOptions {
  baseUrl: string;
  /** Sent as `X-Admin-Key`. Keep it on servers only: it is the operator's key. */
  adminKey: string;
  language?: string;
  fetch?: typeof globalThis.fetch;
}

/** The operator API (`/admin/v1`): accounts, institutions, workspaces, members, audit trail, signing keys, webhooks. For servers and scripts only. */
export class TenantryAdminClient {
  readonly raw: Client<adminPaths>;

  constructor(options: TenantryAdminClientOptions) {
    this.raw = createClient<adminPaths>({ baseUrl: options.baseUrl.replace(/\/$/, ""), fetch: options.fetch ?? globalThis.fetch.bind(globalThis) });
    this.raw.use({
      onRequest: ({ request }) => {
        request.headers.set("X-Admin-Key", options.adminKey);
        if (options.language) {
          request.headers.set("Accept-Language", options.language);
        }
        return request;
      },
    });
  }

  async searchUsers(query?: string, pageNumber = 1, pageSize = 50): Promise<TenantryPage<AdminSchemas["AdminUserResponse"]>> {
    return page(await this.raw.GET("/admin/v1/users", { params: { query: { query, page: pageNumber, pageSize } } }), pageNumber, pageSize);
  }

  users(query?: string, pageSize = 50): AsyncGenerator<AdminSchemas["AdminUserResponse"]> {
    return pages((n, size) => this.searchUsers(query, n, size), pageSize);
  }

  async getUser(userId: string): Promise<AdminSchemas["AdminUserResponse"]> {
    return unwrap(await this.raw.GET("/admin/v1/users/{userBizId}", { params: { path: { userBizId: userId } } }));
  }

  /**
   * Vouches for the account's address (`true`: invitations to it may then be accepted without their token) or
   * withdraws that (`false`: the account verifies again by email). Recorded in the account's events.
   */
  async setEmailVerified(userId: string, emailVerified: boolean): Promise<AdminSchemas["AdminUserResponse"]> {
    return unwrap(await this.raw.PATCH("/admin/v1/users/{userBizId}", { params: { path: { userBizId: userId } }, body: { emailVerified } }));
  }

  /** The account's events (address verified or unverified, disabled, enabled, signed out, MFA reset), newest first. */
  async getUserEvents(userId: string): Promise<AdminSchemas["AdminAccountEvent"][]> {
    return unwrap(await this.raw.GET("/admin/v1/users/{userBizId}/events", { params: { path: { userBizId: userId } } }));
  }

  async disableUser(userId: string): Promise<AdminSchemas["AdminUserResponse"]> {
    return unwrap(await this.raw.POST("/admin/v1/users/{userBizId}/disable", { params: { path: { userBizId: userId } } }));
  }

  async enableUser(userId: string): Promise<AdminSchemas["AdminUserResponse"]> {
    return unwrap(await this.raw.POST("/admin/v1/users/{userBizId}/enable", { params: { path: { userBizId: userId } } }));
  }

  async revokeSessions(userId: string): Promise<AdminSchemas["AdminUserResponse"]> {
    return unwrap(await this.raw.POST("/admin/v1/users/{userBizId}/revoke-sessions", { params: { path: { userBizId: userId } } }));
  }

  async resetMfa(userId: string): Promise<AdminSchemas["AdminUserResponse"]> {
    return unwrap(await this.raw.POST("/admin/v1/users/{userBizId}/reset-mfa", { params: { path: { userBizId: userId } } }));
  }

  async searchWorkspaces(
    query?: string,
    filter: { institutionBizId?: string; status?: "ACTIVE" | "SUSPENDED" } = {},
    pageNumber = 1,
    pageSize = 50,
  ): Promise<TenantryPage<AdminSchemas["AdminWorkspaceResponse"]>> {
    return page(await this.raw.GET("/admin/v1/workspaces", { params: { query: { query, ...filter, page: pageNumber, pageSize } } }), pageNumber, pageSize);
  }

  async setWorkspaceStatus(workspaceId: string, suspended: boolean): Promise<AdminSchemas["AdminWorkspaceResponse"]> {
    return unwrap(
      await this.raw.PATCH("/admin/v1/workspaces/{workspaceBizId}", {
        params: { path: { workspaceBizId: workspaceId } },
        body: { workspaceStatus: suspended ? "SUSPENDED" : "ACTIVE" },
      }),
    );
  }

  async getAuditEvents(
    filter: { institutionBizId?: string; workspaceBizId?: string; action?: string; actorUserBizId?: string; after?: string } = {},
    pageNumber = 1,
    pageSize = 50,
  ): Promise<TenantryPage<AdminSchemas["AdminAuditEventResponse"]>> {
    return page(await this.raw.GET("/admin/v1/audit-events", { params: { query: { ...filter, page: pageNumber, pageSize } } }), pageNumber, pageSize);
  }

  async listSigningKeys(): Promise<AdminSchemas["AdminSigningKeyResponse"][]> {
    return unwrap(await this.raw.GET("/admin/v1/signing-keys"));
  }

  async rotateSigningKey(): Promise<AdminSchemas["AdminSigningKeyResponse"][]> {
    return unwrap(await this.raw.POST("/admin/v1/signing-keys/rotate"));
  }

  /** A page of an institution's webhook endpoints, oldest first (never with their secrets). */
  async getWebhooksPage(institutionId: string, pageNumber = 1, pageSize = 50): Promise<TenantryPage<AdminSchemas["AdminWebhookEndpoint"]>> {
    return page(
      await this.raw.GET("/admin/v1/institutions/{institutionBizId}/webhooks", {
        params: { path: { institutionBizId: institutionId }, query: { page: pageNumber, pageSize } },
      }),
      pageNumber,
      pageSize,
    );
  }

  webhooks(institutionId: string, pageSize = 50): AsyncGenerator<AdminSchemas["AdminWebhookEndpoint"]> {
    return pages((n, size) => this.getWebhooksPage(institutionId, n, size), pageSize);
  }

  /**
   * Adds an endpoint to the institution. The answer's `secret` (`whsec_…`) signs its deliveries and is shown this once.
   * No `eventTypes` (or an empty list): every event type. A URL the server refuses throws `TenantryError` `4000` on `$.url`.
   */
  async createWebhook(
    institutionId: string,
    endpoint: { url: string; description?: string; eventTypes?: string[] },
  ): Promise<AdminSchemas["AdminWebhookEndpoint"]> {
    return unwrap(await this.raw.POST("/admin/v1/institutions/{institutionBizId}/webhooks", { params: { path: { institutionBizId: institutionId } }, body: endpoint }));
  }

  async getWebhook(institutionId: string, webhookId: string): Promise<AdminSchemas["AdminWebhookEndpoint"]> {
    return unwrap(
      await this.raw.GET("/admin/v1/institutions/{institutionBizId}/webhooks/{webhookBizId}", {
        params: { path: { institutionBizId: institutionId, webhookBizId: webhookId } },
      }),
    );
  }

  /** Changes what `changes` names (`description: ""` clears it; `eventTypes: []` means every type); the rest stays. */
  async updateWebhook(
    institutionId: string,
    webhookId: string,
    changes: { url?: string; description?: string; eventTypes?: string[]; enabled?: boolean },
  ): Promise<AdminSchemas["AdminWebhookEndpoint"]> {
    return unwrap(
      await this.raw.PATCH("/admin/v1/institutions/{institutionBizId}/webhooks/{webhookBizId}", {
        params: { path: { institutionBizId: institutionId, webhookBizId: webhookId } },
        body: changes,
      }),
    );
  }

  /** Deletes the endpoint and its deliveries. */
  async deleteWebhook(institutionId: string, webhookId: string): Promise<void> {
    unwrap(
      await this.raw.DELETE("/admin/v1/institutions/{institutionBizId}/webhooks/{webhookBizId}", {
        params: { path: { institutionBizId: institutionId, webhookBizId: webhookId } },
      }),
    );
  }

  /** A new signing secret in the answer's `secret` (shown this once); the previous one also signs until `previousSecretExpiresAt`. */
  async rotateWebhookSecret(institutionId: string, webhookId: string): Promise<AdminSchemas["AdminWebhookEndpoint"]> {
    return unwrap(
      await this.raw.POST("/admin/v1/institutions/{institutionBizId}/webhooks/{webhookBizId}/rotate-secret", {
        params: { path: { institutionBizId: institutionId, webhookBizId: webhookId } },
      }),
    );
  }

  /** Queues a `webhook.test` event to the endpoint and answers its delivery; a disabled endpoint throws a 409 `TenantryError`. */
  async sendWebhookTest(institutionId: string, webhookId: string): Promise<AdminSchemas["AdminWebhookDelivery"]> {
    return unwrap(
      await this.raw.POST("/admin/v1/institutions/{institutionBizId}/webhooks/{webhookBizId}/test", {
        params: { path: { institutionBizId: institutionId, webhookBizId: webhookId } },
      }),
    );
  }

  /** A page of the endpoint's deliveries, newest first. */
  async getWebhookDeliveriesPage(
    institutionId: string,
    webhookId: string,
    pageNumber = 1,
    pageSize = 50,
  ): Promise<TenantryPage<AdminSchemas["AdminWebhookDelivery"]>> {
    return page(
      await this.raw.GET("/admin/v1/institutions/{institutionBizId}/webhooks/{webhookBizId}/deliveries", {
        params: { path: { institutionBizId: institutionId, webhookBizId: webhookId }, query: { page: pageNumber, pageSize } },
      }),
      pageNumber,
      pageSize,
    );
  }

  webhookDeliveries(institutionId: string, webhookId: string, pageSize = 50): AsyncGenerator<AdminSchemas["AdminWebhookDelivery"]> {
    return pages((n, size) => this.getWebhookDeliveriesPage(institutionId, webhookId, n, size), pageSize);
  }

  /** Sends one delivery again, now, with the same `webhook-id`. */
  async replayWebhookDelivery(institutionId: string, webhookId: string, deliveryId: string): Promise<AdminSchemas["AdminWebhookDelivery"]> {
    return unwrap(
      await this.raw.POST("/admin/v1/institutions/{institutionBizId}/webhooks/{webhookBizId}/deliveries/{deliveryId}/replay", {
        params: { path: { institutionBizId: institutionId, webhookBizId: webhookId, deliveryId } },
      }),
    );
  }

  /** Sends again every failed delivery of the endpoint created since `since`; answers how many were queued. */
  async replayFailedWebhookDeliveries(institutionId: string, webhookId: string, since: Date | string): Promise<number> {
    const answer = unwrap<AdminSchemas["AdminReplayedDeliveries"]>(
      await this.raw.POST("/admin/v1/institutions/{institutionBizId}/webhooks/{webhookBizId}/deliveries/replay-failed", {
        params: { path: { institutionBizId: institutionId, webhookBizId: webhookId } },
        body: { since: since instanceof Date ? since.toISOString() : since },
      }),
    );
    return answer.replayed;
  }
}

export function createTenantryAdminClient(options: TenantryAdminClientOptions): TenantryAdminClient {
  return new TenantryAdminClient(options);
}

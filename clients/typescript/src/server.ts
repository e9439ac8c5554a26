import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { TenantryError } from "./errors.js";
import type { components } from "./generated/tenantry.js";

export { TenantryError } from "./errors.js";

/** The caller's standing in a workspace, as Tenantry says it (`GET /web/v1/workspaces/{id}/access/mine`). */
export type TenantryWorkspaceAccess = components["schemas"]["SystemWorkspaceAccess"];

export interface TenantryVerifierOptions {
  /** The Tenantry server: its JWKS (`/.well-known/jwks.json`) and its SYSTEM dialect. */
  authority: string;
  /** The portal access code for the workspace checks. */
  portalAccessCode: string;
  issuer?: string;
  audience?: string;
  /**
   * How long a caller's standing in a workspace is reused (ms, default 30 s): the bound within which a revoked
   * session, a removed member or a changed role takes effect on workspace checks. 0 asks every time.
   */
  accessCacheMs?: number;
  /**
   * The key set is re-read at least this often (ms, default 5 min: Tenantry publishes a new key 10 min before it
   * signs with it), and when a token names an unknown key, at most once per `jwksCooldownMs` (default 10 s).
   */
  jwksCacheMs?: number;
  jwksCooldownMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** A verified access token: the Tenantry user (`sub`) and session (`sid`). */
export interface TenantryIdentity {
  userId: string;
  sessionId: string;
  payload: JWTPayload;
}

/** What a workspace check decided: 200 with the standing, or the status to answer (401, 403, 404, 503). */
export type TenantryDecision =
  | { status: 200; identity: TenantryIdentity; access: TenantryWorkspaceAccess }
  | { status: 401 | 403 | 404 | 503; reason: string };

/**
 * For a product's own API behind Tenantry: verifies access tokens offline against the JWKS (cached; re-read when
 * a token names an unknown key, as after a rotation) and decides workspace membership and permissions with one
 * cached call to Tenantry.
 */
export class TenantryVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly cache = new Map<string, { until: number; access: TenantryWorkspaceAccess | null }>();
  private readonly base: string;

  constructor(private readonly options: TenantryVerifierOptions) {
    this.base = options.authority.replace(/\/$/, "");
    this.jwks = createRemoteJWKSet(new URL(`${this.base}/.well-known/jwks.json`), {
      cooldownDuration: options.jwksCooldownMs ?? 10_000,
      cacheMaxAge: options.jwksCacheMs ?? 5 * 60_000,
    });
  }

  /** The token's user and session; throws a 401 `TenantryError` for a missing, malformed, expired or foreign token. */
  async verifyAccessToken(token: string | null | undefined): Promise<TenantryIdentity> {
    if (!token) {
      throw new TenantryError(401, "4010", "No access token.");
    }
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.options.issuer ?? "tenantry",
        audience: this.options.audience ?? "tenantry",
        algorithms: ["ES256"],
        typ: "at+jwt",
        clockTolerance: 30,
      });
      if (typeof payload.sub !== "string" || typeof payload.sid !== "string") {
        throw new Error("no sub or sid");
      }
      return { userId: payload.sub, sessionId: payload.sid, payload };
    } catch {
      throw new TenantryError(401, "4010", "Invalid or expired token.");
    }
  }

  /** The bearer token of an `Authorization` header value, if any. */
  static bearer(header: string | null | undefined): string | null {
    return header && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, "").trim() : null;
  }

  /**
   * Decides a request: a valid token (else 401), an active member of the workspace (else 404, never revealing that
   * it exists), holding `permission` when given (else 403). Tenantry unreachable: 503, never a guess.
   */
  async authorize(token: string | null | undefined, workspaceId: string, permission?: string): Promise<TenantryDecision> {
    let identity: TenantryIdentity;
    try {
      identity = await this.verifyAccessToken(token);
    } catch {
      return { status: 401, reason: "Invalid or expired token." };
    }
    const key = `${identity.sessionId}\u0000${workspaceId}`;
    const now = Date.now();
    let entry = this.cache.get(key);
    if (!entry || entry.until <= now) {
      let response: Response;
      try {
        response = await (this.options.fetch ?? globalThis.fetch)(`${this.base}/web/v1/workspaces/${encodeURIComponent(workspaceId)}/access/mine`, {
          headers: { Authorization: `Bearer ${token}`, "X-PORTAL-ACCESS-CODE": this.options.portalAccessCode, Accept: "application/json" },
        });
      } catch {
        return { status: 503, reason: "Tenantry could not be reached." };
      }
      if (response.status === 401) {
        return { status: 401, reason: "The session was revoked or the token expired." };
      }
      if (response.status !== 200 && response.status !== 404) {
        return { status: 503, reason: `Tenantry answered ${response.status}.` };
      }
      const access = response.status === 200 ? ((await response.json()) as { data: TenantryWorkspaceAccess }).data : null;
      entry = { until: now + (this.options.accessCacheMs ?? 30_000), access };
      if ((this.options.accessCacheMs ?? 30_000) > 0) {
        this.cache.set(key, entry);
      }
    }
    const access = entry.access;
    if (!access) {
      return { status: 404, reason: "Not found." };
    }
    if (access.status !== "ACTIVE") {
      return { status: 403, reason: "The membership is inactive." };
    }
    // Tenantry's decision for the request it received: suspension, MFA, and the IP allow-list for the
    // address Tenantry sees (this server's, unless it is one of Tenantry's trusted proxies).
    if (!access.enterable) {
      return { status: 403, reason: `The workspace does not admit this request (${access.restriction}).` };
    }
    if (permission !== undefined && !access.permissions.includes(permission)) {
      return { status: 403, reason: `The caller's role lacks ${permission}.` };
    }
    return { status: 200, identity, access };
  }
}

export function createTenantryVerifier(options: TenantryVerifierOptions): TenantryVerifier {
  return new TenantryVerifier(options);
}

/** One problem with one input of a `4000` answer: a JSON path such as `$.email`, or a query parameter. */
export interface TenantryFieldError {
  field: string;
  message: string;
}

/**
 * Tenantry answered with an error. `code` is the contract's code (`4040`, `WORKSPACE.LAST_OWNER`, ...;
 * never localized), `message` the server's message in the requested language.
 */
export class TenantryError extends Error {
  override readonly name = "TenantryError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: TenantryFieldError[] = [],
    /** For `4290`: seconds to wait. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** Reads an error answer: the envelope (`code`, `message`, `data` as field errors) or, for anything else, the status. */
  static from(status: number, body: unknown, headers?: Headers): TenantryError {
    const retry = headers?.get("Retry-After");
    const retryAfter = retry ? Number(retry) : undefined;
    if (body && typeof body === "object" && "code" in body && typeof (body as { code: unknown }).code === "string") {
      const envelope = body as { code: string; message?: unknown; data?: unknown; errors?: unknown };
      const fields = Array.isArray(envelope.data)
        ? envelope.data.filter((d): d is TenantryFieldError => !!d && typeof d === "object" && "field" in d && "message" in d)
        : [];
      const message = typeof envelope.message === "string" ? envelope.message : envelope.code;
      return new TenantryError(status, envelope.code, message, fields, retryAfter);
    }
    return new TenantryError(status, String(status), `Tenantry answered HTTP ${status}.`, [], retryAfter);
  }
}

/** The password was right, but the account has MFA: complete the sign-in with `completeMfaSignIn(challengeId, code)`. */
export class TenantryMfaRequiredError extends TenantryError {
  constructor(readonly challengeId: string, message: string) {
    super(200, "AUTH.MFA_REQUIRED", message);
  }
}

import { describe, expect, it } from "vitest";
import { TenantryClient, TenantryError, memoryTokenStore } from "../src/index.js";
import { admin, client, email, mailTo, member, password, server, signedUp } from "./setup.js";

describe("@tenantry/client against a real Tenantry", () => {
  it("signs up, creates a workspace and lists it without the envelope", async () => {
    const { client: c, userId } = await signedUp();
    expect(userId).toMatch(/^usr_/);
    const detail = await c.createWorkspace("TS Labs", { workspaceKind: "SANDBOX", workspaceTimezone: "Asia/Tokyo" });
    const mine = await c.listMyWorkspaces();
    expect(mine).toHaveLength(1);
    expect(mine[0]?.workspaceBizId).toBe(detail.bizId);
    expect(mine[0]?.isOwner).toBe(true);
    expect((await c.getWorkspace(detail.bizId)).workspaceKind.code).toBe("SANDBOX");
    expect((await c.getMyAccess(detail.bizId)).permissions).toContain("members.invite");
  });

  it("throws TenantryError with the contract code, the status and a localized message", async () => {
    const c = client({ language: "ja" });
    await c.signUp(email(), password, "Japanese");
    const missing = await c.getWorkspace("ws_00000000000000000000000000").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(TenantryError);
    expect((missing as TenantryError).code).toBe("4040");
    expect((missing as TenantryError).status).toBe(404);
    expect((missing as TenantryError).message).not.toMatch(/Not found/);

    const invalid = (await c.createWorkspace("").catch((e: unknown) => e)) as TenantryError;
    expect(invalid.code).toBe("4000");
    expect(invalid.fields.map((f) => f.field)).toContain("$.workspaceName");

    const wrong = (await client().signIn(email(), "wrong password!").catch((e: unknown) => e)) as TenantryError;
    expect([wrong.status, wrong.code]).toEqual([401, "AUTH.INVALID_CREDENTIALS"]);
  });

  it("pages over X-Total-Count as an async iterable", async () => {
    const { client: owner } = await signedUp("pager");
    const workspace = await owner.createWorkspace("Paged");
    for (const name of ["One", "Two", "Three"]) {
      await owner.createRole(workspace.bizId, name, ["workspace.read"]);
    }
    const first = await owner.getAuditEventsPage(workspace.bizId, 1, 2);
    expect(first.total).toBe(4);
    expect(first.items).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const all = [];
    for await (const event of owner.listAuditEvents(workspace.bizId, 2)) {
      all.push(event.action);
    }
    expect(all).toEqual(["role.created", "role.created", "role.created", "workspace.created"]);

    await member(owner, workspace.bizId);
    const members = [];
    for await (const m of owner.listMembers(workspace.bizId, 1)) {
      members.push(m.workspaceRoleName);
    }
    expect(members).toEqual(["Owner", "Member"]);
  });

  it("refreshes the access token once at a time for concurrent requests, and after a 401", async () => {
    // Every token counts as about to expire, so every request refreshes: concurrent ones must not spend the
    // same single-use refresh token twice, or the session would be revoked.
    const c = client({ refreshBeforeExpiryMs: 60 * 60_000 });
    const first = await c.signUp(email("refresh"), password, "Refresh");
    await c.createWorkspace("Refreshed");
    const lists = await Promise.all(Array.from({ length: 8 }, () => c.listMyWorkspaces()));
    expect(lists.every((l) => l.length === 1)).toBe(true);
    const now = await c.tokens.get();
    expect(now?.sessionId).toBe(first.sessionId);
    expect(now?.refreshToken).not.toBe(first.refreshToken);

    // A refused access token with a live refresh token: refreshed and the request retried.
    const reactive = client();
    await reactive.tokens.set({ ...now!, accessToken: "not-a-token", accessTokenExpiresAt: Date.now() + 3_600_000 });
    expect(await reactive.listMyWorkspaces()).toHaveLength(1);

    await reactive.signOut();
    expect(await reactive.tokens.get()).toBeNull();
    const refused = (await reactive.listMyWorkspaces().catch((e: unknown) => e)) as TenantryError;
    expect(refused.code).toBe("4010");
  });

  it("keeps tokens where it is told to", async () => {
    const store = memoryTokenStore();
    const custom = new TenantryClient({ baseUrl: server.url, portalAccessCode: server.portal, tokens: store });
    const tokens = await custom.signUp(email(), password, "Stored");
    expect((await store.get())?.accessToken).toBe(tokens.accessToken);
  });

  it("the admin client searches, pages and disables; a disabled account cannot sign in", async () => {
    const tag = `adm${Date.now()}`;
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await signedUp(tag)).userId);
    }
    const found = [];
    for await (const user of admin.users(tag, 2)) {
      found.push(user.userBizId);
    }
    expect(found).toEqual([...ids].reverse());

    const target = await signedUp("disabled");
    expect((await admin.disableUser(target.userId)).status).toBe("DISABLED");
    const refused = (await client().signIn(target.email, password).catch((e: unknown) => e)) as TenantryError;
    expect([refused.status, refused.code]).toEqual([403, "AUTH.ACCOUNT_DISABLED"]);
    await admin.enableUser(target.userId);
    await client().signIn(target.email, password);

    const trail = await admin.getUserEvents(target.userId);
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ["account.enabled", "operator"],
      ["account.disabled", "operator"],
    ]);
  });

  it("verifies the address with the code from the verification email", async () => {
    const { client: c, email: address } = await signedUp("verify");
    expect((await c.getMe()).emailVerified).toBe(false);
    const code = /verification code is ([0-9]{6})/.exec(await mailTo(address, "Verify your email address"))?.[1];
    expect(code).toMatch(/^[0-9]{6}$/);
    const wrong = (await c.verifyEmail({ code: code === "000000" ? "111111" : "000000" }).catch((e: unknown) => e)) as TenantryError;
    expect([wrong.status, wrong.code]).toEqual([400, "AUTH.EMAIL_VERIFICATION_INVALID"]);

    expect((await c.verifyEmail({ code })).emailVerified).toBe(true);
    expect((await c.getMe()).emailVerified).toBe(true);
    const nothing = (await c.resendVerificationEmail().catch((e: unknown) => e)) as TenantryError;
    expect([nothing.status, nothing.code]).toEqual([409, "AUTH.EMAIL_ALREADY_VERIFIED"]);
  });

  it("answers invitations with the token from their email; an operator can vouch for an address instead", async () => {
    const { client: owner } = await signedUp("inviter");
    const workspace = await owner.createWorkspace("Invites");
    const role = (await owner.listRoles(workspace.bizId)).find((r) => r.roleName === "Member")!;
    const invitee = await signedUp("invitee");
    const invitation = await owner.invite(workspace.bizId, invitee.email, role.roleBizId);

    const notYours = (await invitee.client.acceptInvitation(invitation.invitationBizId).catch((e: unknown) => e)) as TenantryError;
    expect([notYours.status, notYours.code]).toEqual([404, "4040"]);
    // The email carries the token in its accept link (by default the web console's page, token in the fragment),
    // or as text when the configured accept link has no {token}.
    const email = await mailTo(invitee.email, "You are invited");
    const token = /\/invitations\/(inv_\w+)#token=([\w-]+)/.exec(email) ?? /invitation (inv_\w+), token ([\w-]+)/.exec(email);
    expect(token?.[1]).toBe(invitation.invitationBizId);
    expect((await invitee.client.acceptInvitation(invitation.invitationBizId, token![2])).workspaceBizId).toBe(workspace.bizId);

    // Vouched for by the operator, the address answers invitations without a token.
    const vouched = await signedUp("vouched");
    expect((await admin.setEmailVerified(vouched.userId, true)).emailVerified).toBe(true);
    const second = await owner.invite(workspace.bizId, vouched.email, role.roleBizId);
    expect((await vouched.client.listMyInvitations()).map((i) => i.invitationBizId)).toEqual([second.invitationBizId]);
    await vouched.client.declineInvitation(second.invitationBizId);
    expect(await vouched.client.listMyInvitations()).toEqual([]);
    expect((await admin.getUserEvents(vouched.userId)).map((e) => [e.action, e.actor])).toEqual([["email.verified", "operator"]]);
  });
});

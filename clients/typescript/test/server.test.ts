import { describe, expect, it } from "vitest";
import { createTenantryVerifier, TenantryVerifier } from "../src/server.js";
import { admin, member, server, signedUp } from "./setup.js";

const verifier = createTenantryVerifier({ authority: server.url, portalAccessCode: server.portal, accessCacheMs: 1_000, jwksCooldownMs: 1_000 });

describe("@tenantry/client/server", () => {
  it("verifies access tokens against the JWKS and names the user and session", async () => {
    const { client: c, userId } = await signedUp("verify");
    const tokens = (await c.tokens.get())!;
    const identity = await verifier.verifyAccessToken(tokens.accessToken);
    expect(identity.userId).toBe(userId);
    expect(identity.sessionId).toBe(tokens.sessionId);
    await expect(verifier.verifyAccessToken(tokens.accessToken.slice(0, -4) + "AAAA")).rejects.toMatchObject({ status: 401 });
    await expect(verifier.verifyAccessToken(undefined)).rejects.toMatchObject({ status: 401 });
    expect(TenantryVerifier.bearer(`Bearer ${tokens.accessToken}`)).toBe(tokens.accessToken);
  });

  it("decides workspace membership and permissions: 200, 403, 404, 401", async () => {
    const { client: owner } = await signedUp("owner");
    const workspace = await owner.createWorkspace("Checked");
    const joined = await member(owner, workspace.bizId);
    const stranger = await signedUp("stranger");
    const token = async (c: typeof owner) => (await c.tokens.get())!.accessToken;

    expect((await verifier.authorize(await token(owner), workspace.bizId, "members.invite")).status).toBe(200);
    const read = await verifier.authorize(await token(joined.client), workspace.bizId);
    expect(read.status).toBe(200);
    expect(read.status === 200 && read.access.permissions).toEqual(["workspace.read", "members.read"]);
    expect((await verifier.authorize(await token(joined.client), workspace.bizId, "members.invite")).status).toBe(403);
    expect((await verifier.authorize(await token(stranger.client), workspace.bizId)).status).toBe(404);
    expect((await verifier.authorize("garbage", workspace.bizId)).status).toBe(401);
  });

  it("refuses a signed-out session within the access cache duration", async () => {
    const { client: owner } = await signedUp("signout");
    const workspace = await owner.createWorkspace("Signed out");
    const token = (await owner.tokens.get())!.accessToken;
    expect((await verifier.authorize(token, workspace.bizId)).status).toBe(200);
    await owner.signOut();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await verifier.authorize(token, workspace.bizId)).status).toBe(401);
  });

  it("accepts tokens of a rotated key (an unknown kid re-reads the JWKS)", async () => {
    const { client: before } = await signedUp("rotation");
    await verifier.verifyAccessToken((await before.tokens.get())!.accessToken);
    const keys = await admin.rotateSigningKey();
    const next = keys.find((k) => k.state === "PUBLISHED");
    expect(next).toBeDefined();
    // The test server publishes a key 2 s before it signs (Tenantry__Auth__SigningKeyPublishLead).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(next!.activatesAt).getTime() - Date.now()) + 1_500));
    const { client: after } = await signedUp("rotation");
    const token = (await after.tokens.get())!.accessToken;
    const kid = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid;
    expect(kid).toBe(next!.kid);
    expect((await verifier.verifyAccessToken(token)).sessionId).toBeTruthy();
  });
});

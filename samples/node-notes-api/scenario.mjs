// Exercises both sample APIs over HTTP, as their users would, with @tenantry/client from its packed
// tarball: a member reads their workspace's notes, a non-member gets 404, a member without the
// permission 403, no token 401, and a token of a signed-out session is refused within the access
// cache bound. Usage (./test.sh runs it):
//   TENANTRY_URL=... TENANTRY_PORTAL_ACCESS_CODE=... TENANTRY_ADMIN_KEY=... ACCESS_CACHE_MS=... node scenario.mjs dotnet=http://... node=http://...
// The operator key only vouches for the member's address, so that the invitation to it can be accepted.
import { randomUUID } from "node:crypto";
import { createTenantryAdminClient, createTenantryClient } from "@tenantry/client";

const tenantry = { baseUrl: process.env.TENANTRY_URL, portalAccessCode: process.env.TENANTRY_PORTAL_ACCESS_CODE };
const operator = createTenantryAdminClient({ baseUrl: process.env.TENANTRY_URL, adminKey: process.env.TENANTRY_ADMIN_KEY });
const cacheMs = Number(process.env.ACCESS_CACHE_MS ?? 30_000);
const samples = process.argv.slice(2).map((arg) => arg.split("=", 2));
let passed = 0;
let failed = 0;

function check(name, ok, detail = "") {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? ` (${detail})` : ""}`);
  }
}

async function user(who) {
  const client = createTenantryClient(tenantry);
  const email = `${who}-${randomUUID()}@example.com`;
  const { userId } = await client.signUp(email, "correct horse battery staple", who);
  return { client, email, userId, token: async () => (await client.tokens.get()).accessToken };
}

async function call(base, method, path, token, body) {
  const response = await fetch(base + path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

for (const [name, base] of samples) {
  try {
    const owner = await user("owner");
    const workspace = await owner.client.createWorkspace(`Notes ${name}`);
    const memberRole = (await owner.client.listRoles(workspace.bizId)).find((r) => r.roleName === "Member");
    const member = await user("member");
    await operator.setEmailVerified(member.userId, true);
    await owner.client.invite(workspace.bizId, member.email, memberRole.roleBizId);
    const invitation = (await member.client.listMyInvitations()).find((i) => i.workspaceBizId === workspace.bizId);
    await member.client.acceptInvitation(invitation.invitationBizId);
    const stranger = await user("stranger");
    const path = `/workspaces/${workspace.bizId}/notes`;

    const written = await call(base, "POST", path, await owner.token(), { text: "Hello from the owner" });
    check(`${name}: the owner (workspace.update) writes a note`, written.status === 201, `got ${written.status}`);
    const read = await call(base, "GET", path, await member.token());
    check(`${name}: a member reads the workspace's notes`, read.status === 200 && read.body.notes.some((n) => n.text === "Hello from the owner"), `got ${read.status}`);
    const denied = await call(base, "POST", path, await member.token(), { text: "not allowed" });
    check(`${name}: a member without workspace.update gets 403`, denied.status === 403, `got ${denied.status}`);
    const hidden = await call(base, "GET", path, await stranger.token());
    check(`${name}: a non-member gets 404`, hidden.status === 404, `got ${hidden.status}`);
    const anonymous = await call(base, "GET", path, null);
    check(`${name}: no token gets 401`, anonymous.status === 401, `got ${anonymous.status}`);

    const token = await owner.token();
    check(`${name}: the owner reads before signing out`, (await call(base, "GET", path, token)).status === 200);
    await owner.client.signOut();
    await new Promise((resolve) => setTimeout(resolve, cacheMs + 500));
    const revoked = await call(base, "GET", path, token);
    check(`${name}: a signed-out session's token is refused within ${cacheMs} ms`, revoked.status === 401, `got ${revoked.status}`);
  } catch (error) {
    check(`${name}: scenario ran`, false, String(error?.stack ?? error));
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

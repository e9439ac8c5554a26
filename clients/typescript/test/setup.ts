import { randomUUID } from "node:crypto";
import { createTenantryAdminClient, createTenantryClient, type TenantryClient } from "../src/index.js";

/** The real Tenantry server that ./test.sh starts for these tests. */
export const server = {
  url: required("TENANTRY_TEST_URL"),
  portal: required("TENANTRY_TEST_PORTAL"),
  adminKey: required("TENANTRY_TEST_ADMIN_KEY"),
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests need a running Tenantry (./test.sh starts one).`);
  }
  return value;
}

export const password = "correct horse battery staple";

export function email(who = "ts"): string {
  return `${who}-${randomUUID()}@example.com`;
}

export function client(options: { language?: string; refreshBeforeExpiryMs?: number } = {}): TenantryClient {
  return createTenantryClient({ baseUrl: server.url, portalAccessCode: server.portal, ...options });
}

export const admin = createTenantryAdminClient({ baseUrl: server.url, adminKey: server.adminKey });

export async function signedUp(who = "ts"): Promise<{ client: TenantryClient; email: string; userId: string }> {
  const c = client();
  const address = email(who);
  const tokens = await c.signUp(address, password, who);
  return { client: c, email: address, userId: tokens.userId };
}

/** A new account that joins the workspace with the given role, through an invitation it accepts. */
export async function member(owner: TenantryClient, workspaceId: string, roleName = "Member"): Promise<{ client: TenantryClient; userId: string }> {
  const role = (await owner.listRoles(workspaceId)).find((r) => r.roleName === roleName);
  if (!role) {
    throw new Error(`no role ${roleName}`);
  }
  const joiner = await signedUp("member");
  await owner.invite(workspaceId, joiner.email, role.roleBizId);
  const invitation = (await joiner.client.listMyInvitations()).find((i) => i.workspaceBizId === workspaceId);
  if (!invitation) {
    throw new Error("the invitation did not arrive");
  }
  await joiner.client.acceptInvitation(invitation.invitationBizId);
  return { client: joiner.client, userId: joiner.userId };
}

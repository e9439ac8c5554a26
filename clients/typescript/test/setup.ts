import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createTenantryAdminClient, createTenantryClient, type TenantryClient } from "../src/index.js";

/** The real Tenantry server that ./test.sh starts for these tests. */
export const server = {
  url: required("TENANTRY_TEST_URL"),
  portal: required("TENANTRY_TEST_PORTAL"),
  adminKey: required("TENANTRY_TEST_ADMIN_KEY"),
  /** The server writes its emails here as .eml files (Tenantry__Email__PickupDirectory). */
  mailDir: required("TENANTRY_TEST_MAIL_DIR"),
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

/**
 * A new account that joins the workspace with the given role, through an invitation it accepts. An operator vouches
 * for its address first (set-up, as in the server's own tests): invitations to verified addresses need no token.
 */
export async function member(owner: TenantryClient, workspaceId: string, roleName = "Member"): Promise<{ client: TenantryClient; userId: string }> {
  const role = (await owner.listRoles(workspaceId)).find((r) => r.roleName === roleName);
  if (!role) {
    throw new Error(`no role ${roleName}`);
  }
  const joiner = await signedUp("member");
  await admin.setEmailVerified(joiner.userId, true);
  await owner.invite(workspaceId, joiner.email, role.roleBizId);
  const invitation = (await joiner.client.listMyInvitations()).find((i) => i.workspaceBizId === workspaceId);
  if (!invitation) {
    throw new Error("the invitation did not arrive");
  }
  await joiner.client.acceptInvitation(invitation.invitationBizId);
  return { client: joiner.client, userId: joiner.userId };
}

/** The text of the first email to `address` whose subject starts with `subject`, as its recipient reads it (waits up to 15 s). */
export async function mailTo(address: string, subject: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const files = (await readdir(server.mailDir).catch(() => [] as string[])).filter((f) => f.endsWith(".eml")).sort();
    for (const file of files) {
      const text = await readFile(join(server.mailDir, file), "utf8");
      const [head, body] = splitOnce(text);
      if (new RegExp(`^To: ${escape(address)}\\s*$`, "mi").test(head) && new RegExp(`^Subject: ${escape(subject)}`, "mi").test(head)) {
        return body;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no email "${subject}" to ${address} in ${server.mailDir}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The headers and the body of an email (plain text, as the server writes it). */
function splitOnce(text: string): [string, string] {
  const match = /\r?\n\r?\n/.exec(text);
  return match ? [text.slice(0, match.index), text.slice(match.index + match[0].length)] : [text, ""];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

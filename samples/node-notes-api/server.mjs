// Per-workspace notes, for the members of each workspace: a product's own API behind Tenantry.
// @tenantry/client/server verifies the caller's access token against Tenantry's JWKS and decides
// membership (404 for anyone else) and permissions (403) with one call to Tenantry, cached for
// TENANTRY_ACCESS_CACHE_MS (how soon a revoked session or a changed role takes effect).
// ./test.sh installs @tenantry/client from its `npm pack` tarball before starting this.
import { createServer } from "node:http";
import { createTenantryVerifier, TenantryVerifier } from "@tenantry/client/server";

const verifier = createTenantryVerifier({
  authority: process.env.TENANTRY_URL ?? "http://127.0.0.1:5080",
  portalAccessCode: process.env.TENANTRY_PORTAL_ACCESS_CODE ?? "dev-portal",
  accessCacheMs: Number(process.env.TENANTRY_ACCESS_CACHE_MS ?? 30_000),
});
const notes = new Map(); // workspaceId -> [{ id, author, text, createdAt }]

function send(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString() || "{}");
  } catch {
    return null;
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/health") return send(res, 200, { ok: true });
  const match = url.pathname.match(/^\/workspaces\/([^/]+)\/notes$/);
  if (!match) return send(res, 404, { error: "not found" });
  const workspaceId = decodeURIComponent(match[1]);
  const token = TenantryVerifier.bearer(req.headers.authorization);

  if (req.method === "GET") {
    const decision = await verifier.authorize(token, workspaceId);
    if (decision.status !== 200) return send(res, decision.status, { error: decision.reason });
    return send(res, 200, { notes: notes.get(workspaceId) ?? [] });
  }
  if (req.method === "POST") {
    const decision = await verifier.authorize(token, workspaceId, "workspace.update");
    if (decision.status !== 200) return send(res, decision.status, { error: decision.reason });
    const body = await readJson(req);
    if (!body || typeof body.text !== "string" || !body.text.trim()) return send(res, 400, { error: "text is required" });
    const list = notes.get(workspaceId) ?? [];
    const note = { id: list.length + 1, author: decision.identity.userId, text: body.text, createdAt: new Date().toISOString() };
    notes.set(workspaceId, [...list, note]);
    return send(res, 201, note);
  }
  return send(res, 405, { error: "method not allowed" });
});

const port = Number(process.env.PORT ?? 5090);
server.listen(port, "127.0.0.1", () => console.log(`notes sample listening on http://127.0.0.1:${port}`));

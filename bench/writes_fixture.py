#!/usr/bin/env python3
"""The people of bench/writes.lua's write mix, made through the running server's own API (standard library only).

  bench/writes_fixture.py BASE_URL PORTAL_CODE ADMIN_KEY TEAMS OUT_FILE

For each of TEAMS teams (one per wrk thread): an owner who signs up and creates a workspace, an
"Editor" role in it beside the built-in Member role, and two invitees who sign up and whose addresses
an operator marks verified (PATCH /admin/v1/users/{id}: accepting by address needs a verified one;
the server must have ADMIN_KEY as Tenantry:AdminApiKey). Two invitees because wrk runs twice (warm-up,
then measured) and each run starts its cycle from the beginning: each run has its own invitee, so
neither finds the other's half-finished cycle. Writes one line per team to OUT_FILE:

  owner_token workspace_id member_role_id editor_role_id (invitee_token invitee_email invitee_id) x 2
"""
import http.client
import json
import sys
import urllib.parse
import uuid

PASSWORD = "correct horse battery staple"


class Api:
    def __init__(self, base_url, portal, admin_key):
        url = urllib.parse.urlsplit(base_url)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.portal = portal
        self.admin_key = admin_key

    def call(self, method, path, body=None, token=None, admin=False):
        # What a client behind the gateway sends (as bench/workspaces.lua does).
        headers = {"Content-Type": "application/json", "Accept": "application/json", "CF-Connecting-IP": "198.51.100.200",
                   "Cf-Ray": "8c0ff00-FRA", "cf-ipcountry": "DE", "X-Client-Hash": "bench-writes-fixture"}
        if admin:
            headers["X-Admin-Key"] = self.admin_key
        else:
            headers["X-PORTAL-ACCESS-CODE"] = self.portal
        if token:
            headers["Authorization"] = "Bearer " + token
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status} {text[:300]}")
        return json.loads(text)["data"]

    def sign_up(self, who):
        email = f"bench-{who}-{uuid.uuid4().hex[:12]}@example.com"
        data = self.call("POST", "/web/v1/auth/sign-up", {"email": email, "password": PASSWORD, "displayName": f"Bench {who}"})
        return data["accessToken"], email, data["userBizId"]


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    base_url, portal, admin_key, teams, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    api = Api(base_url, portal, admin_key)
    lines = []
    for team in range(teams):
        owner, _, _ = api.sign_up(f"owner{team}")
        workspace = api.call("POST", "/web/v1/workspaces/self", {"workspaceName": f"Bench writes {team}"}, owner)["bizId"]
        roles = api.call("GET", f"/web/v1/workspaces/{workspace}/roles", token=owner)
        member_role = next(r["roleBizId"] for r in roles if r["roleName"] == "Member")
        editor_role = api.call("POST", f"/web/v1/workspaces/{workspace}/roles", {"roleName": "Editor", "permissions": ["workspace.read"]}, owner)["roleBizId"]
        fields = [owner, workspace, member_role, editor_role]
        for run in range(2):
            token, email, user_id = api.sign_up(f"invitee{team}-{run}")
            api.call("PATCH", f"/admin/v1/users/{user_id}", {"emailVerified": True}, admin=True)
            fields += [token, email, user_id]
        lines.append(" ".join(fields))
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"write-mix fixture: {teams} teams in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

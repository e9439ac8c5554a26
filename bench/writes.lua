-- wrk script for bench/run.sh --write-mix: the write-heavy mix of issue 17, through the SYSTEM API.
--
--   wrk -tN -cN -d15s -s bench/writes.lua URL -- FIXTURE_FILE RUN [PORTAL_CODE]
--
-- One connection per thread (-t equal to -c): each thread is one team of bench/writes_fixture.py's
-- FIXTURE_FILE (its line number is the thread's) and runs its own cycle, one request at a time:
--   1. the owner invites the invitee as Member        POST /web/v1/workspaces/{ws}/invitations
--   2. the invitee accepts (by its verified address)  POST /web/v1/tenant/invitations/{id}/accept
--   3. the owner makes the new member an Editor       POST /web/v1/workspaces/{ws}/members/role/change
--   4. the owner removes the member again             DELETE /web/v1/workspaces/{ws}/members/{user}
-- so the team is back where it started and the cycle repeats. RUN (0 or 1) picks the team's invitee
-- for this wrk run (warm-up and measured run each have their own: a run stops mid-cycle). A step that
-- fails is tried again (and counted in non2xx). done() prints the RESULT line of bench/workspaces.lua
-- with the completed steps of each kind.

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

local team
local step = 1
local invitation
invites, accepts, changes, removes = 0, 0, 0, 0

local function split(line)
   local fields = {}
   for field in line:gmatch("%S+") do
      table.insert(fields, field)
   end
   return fields
end

function init(args)
   local file, run, portal = args[1], tonumber(args[2] or "0"), args[3] or "bench-portal"
   local lines = {}
   for line in io.lines(file) do
      if #line > 0 then
         table.insert(lines, line)
      end
   end
   if #lines <= id then
      error(string.format("%s has %d teams; run wrk with at most that many threads", file, #lines))
   end
   local f = split(lines[id + 1])
   local invitee = 5 + 3 * run
   team = {
      owner = f[1], workspace = f[2], member_role = f[3], editor_role = f[4],
      invitee_token = f[invitee], invitee_email = f[invitee + 1], invitee_id = f[invitee + 2],
      portal = portal, ip = "198.51.100." .. (id % 250 + 1),
   }
end

local function headers(token)
   return {
      ["X-PORTAL-ACCESS-CODE"] = team.portal,
      ["Authorization"] = "Bearer " .. token,
      ["Accept"] = "application/json",
      ["Content-Type"] = "application/json",
      ["CF-Connecting-IP"] = team.ip,
      ["Cf-Ray"] = "8c0ff00-FRA",
      ["cf-ipcountry"] = "DE",
      ["X-Client-Hash"] = "bench-writes-" .. id,
   }
end

function request()
   local ws = team.workspace
   if step == 1 then
      return wrk.format("POST", "/web/v1/workspaces/" .. ws .. "/invitations", headers(team.owner),
         string.format('{"email":"%s","roleBizId":"%s"}', team.invitee_email, team.member_role))
   elseif step == 2 then
      return wrk.format("POST", "/web/v1/tenant/invitations/" .. invitation .. "/accept", headers(team.invitee_token))
   elseif step == 3 then
      return wrk.format("POST", "/web/v1/workspaces/" .. ws .. "/members/role/change", headers(team.owner),
         string.format('{"userBizId":"%s","roleBizId":"%s"}', team.invitee_id, team.editor_role))
   else
      return wrk.format("DELETE", "/web/v1/workspaces/" .. ws .. "/members/" .. team.invitee_id, headers(team.owner))
   end
end

function response(status, _, body)
   if status ~= 200 then
      return
   end
   if step == 1 then
      invitation = body:match('"invitationBizId"%s*:%s*"([^"]+)"')
      invites = invites + 1
   elseif step == 2 then
      accepts = accepts + 1
   elseif step == 3 then
      changes = changes + 1
   else
      removes = removes + 1
   end
   step = step % 4 + 1
end

function done(summary, latency, _)
   local errors = summary.errors
   local seconds = summary.duration / 1e6
   local steps = { invites = 0, accepts = 0, changes = 0, removes = 0 }
   for _, thread in ipairs(threads) do
      for name, count in pairs(steps) do
         steps[name] = count + (thread:get(name) or 0)
      end
   end
   io.write(string.format(
      "RESULT requests=%d seconds=%.2f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d bytes=%d" ..
      " invites=%d accepts=%d changes=%d removes=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      errors.status, errors.connect + errors.read + errors.write + errors.timeout, summary.bytes,
      steps.invites, steps.accepts, steps.changes, steps.removes))
end

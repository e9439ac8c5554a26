-- wrk script for bench/run.sh. Rotates through the sampled tokens and sends what a real
-- client behind the gateway sends: the full SYSTEM header set (portal code, Bearer token,
-- language, Cloudflare headers, client hash, Accept, X-Workspace-Id), and X-Bench-User: the token's
-- line number, with which the ceiling (bench/Ceiling) answers the bytes the endpoint answers that user.
--
--   wrk -t2 -c64 -d15s -s bench/workspaces.lua URL -- TOKENS_FILE PATH [bearer|cookie] [PORTAL_CODE] [LANGUAGES]
--
-- LANGUAGES: Accept-Language values separated by '|', one per user in turn (bench/run.sh passes
-- its LANGUAGES, which it also measures the answers' sizes with); "en" when left out.
--
-- "cookie" sends the token as the Wacht __session cookie instead of a Bearer header.
-- Each user keeps one language and one client IP, as a real user would. Requests are built
-- once in init(), so the Lua side costs as little CPU as possible on the shared cores.
-- done() prints one machine-readable RESULT line (latencies in microseconds).

local threads = {}
local counter = 0
local requests = {}

local languages = {}
local countries = { "US", "CN", "JP", "VN", "TW" }

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   local file, path = args[1], args[2]
   local auth = args[3] or "bearer"
   local portal = args[4] or "bench-portal"
   for language in string.gmatch(args[5] or "en", "[^|]+") do
      table.insert(languages, language)
   end
   local i = 0
   for token in io.lines(file) do
      if #token > 0 then
         i = i + 1
         local headers = {
            ["X-PORTAL-ACCESS-CODE"] = portal,
            ["Accept"] = "application/json",
            ["Accept-Language"] = languages[(i % #languages) + 1],
            -- One user in ten comes from the range some seeded tenants allow-list.
            ["CF-Connecting-IP"] = (i % 10 == 0) and ("203.0.113." .. (i % 250 + 1)) or ("198.51.100." .. (i % 250 + 1)),
            ["Cf-Ray"] = string.format("%x%04x-FRA", 0x8c0ff, i % 65536),
            ["cf-ipcountry"] = countries[(i % #countries) + 1],
            ["X-Client-Hash"] = string.format("bench-device-%06d", i),
            ["X-Workspace-Id"] = "ws_bench",
            ["X-Bench-User"] = tostring(i),
         }
         if auth == "cookie" then
            headers["Cookie"] = "__session=" .. token
         else
            headers["Authorization"] = "Bearer " .. token
         end
         requests[i] = wrk.format("GET", path, headers)
      end
   end
   if i == 0 then
      error("no tokens in " .. file)
   end
   -- Threads start at different places in the list.
   counter = (id or 0) * math.floor(i / 2)
end

function request()
   counter = counter + 1
   return requests[(counter % #requests) + 1]
end

function done(summary, latency, _)
   local errors = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "RESULT requests=%d seconds=%.2f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d bytes=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      errors.status, errors.connect + errors.read + errors.write + errors.timeout, summary.bytes))
end

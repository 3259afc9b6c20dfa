-- One request, repeated, whose answers are tallied by status: used by bench/issue16.sh for the logins
-- (303 signed in, 503 turned away by the bcrypt gate, anything else an error).
--   BENCH_METHOD  GET (default) or POST
--   BENCH_BODY    form body for POST (application/x-www-form-urlencoded)
--   BENCH_BODIES  file of form bodies, one a line, used in turn instead of BENCH_BODY (many accounts)
--   BENCH_XFF     "1": each body i comes with X-Forwarded-For 10.16.x.y of its own (many clients, for a
--                 server that trusts 127.0.0.1 as a proxy)
--   BENCH_THREADS wrk's -t (default 2): how the threads share the bodies out
--   BENCH_COOKIE  Cookie header
--   BENCH_OK      statuses that are not errors, comma-separated (default "200")
-- Prints "Status N: COUNT" per status seen and "Unexpected status: N (...)" for those not in BENCH_OK, the
-- line parse_wrk in bench/setup.sh counts as errors.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
local bodies = {}
local bodies_file = os.getenv("BENCH_BODIES") or ""
if bodies_file ~= "" then
  for line in io.lines(bodies_file) do
    if line ~= "" then bodies[#bodies + 1] = line end
  end
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local xff = os.getenv("BENCH_XFF") == "1"
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")  -- wrk's -t
local ok = {}
for s in (os.getenv("BENCH_OK") or "200"):gmatch("%d+") do ok[tonumber(s)] = true end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_no", #threads)
end

local next_body

function init(args)
  counts = {}
  -- Threads take turns over the bodies: thread k of n uses k, k + n, k + 2n, ...
  next_body = thread_no
end

function request()
  if #bodies == 0 then return wrk.format() end
  local i = (next_body - 1) % #bodies + 1
  next_body = next_body + nthreads
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  if xff then headers["X-Forwarded-For"] = string.format("10.16.%d.%d", math.floor(i / 256), i % 256) end
  return wrk.format(nil, nil, headers, bodies[i])
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total, unexpected, seen = {}, 0, ""
  for _, t in ipairs(threads) do
    local c = t:get("counts") or {}
    for status, n in pairs(c) do total[status] = (total[status] or 0) + n end
  end
  local keys = {}
  for status in pairs(total) do table.insert(keys, status) end
  table.sort(keys)
  for _, status in ipairs(keys) do
    io.write(string.format("Status %d: %d\n", status, total[status]))
    if not ok[status] then
      unexpected = unexpected + total[status]
      seen = seen .. " " .. status
    end
  end
  io.write(string.format("Unexpected status: %d (expected %s;%s)\n", unexpected, os.getenv("BENCH_OK") or "200",
    seen == "" and " none" or seen))
end

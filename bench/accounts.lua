-- One request, repeated, that must answer one status: used by bench/accounts.sh for every endpoint.
--   BENCH_METHOD  GET (default) or POST
--   BENCH_BODY    form body for POST (application/x-www-form-urlencoded)
--   BENCH_COOKIE  Cookie header (e.g. "motcua_session=…; motcua_csrf=…")
--   BENCH_EXPECT  the status every answer must have (default 200); others are counted and printed as
--                 "Unexpected status: N" (a /tai-khoan that answers 303 has lost its session, a login that
--                 answers 401/429 is not a login: neither may pass for a fast page)
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
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
  statuses = ""
end

function response(status, headers, body)
  if status ~= expect then
    unexpected = unexpected + 1
    if unexpected <= 3 then
      statuses = statuses .. " " .. status
    end
  end
end

function done(summary, latency, requests)
  local n, seen = 0, ""
  for _, t in ipairs(threads) do
    n = n + (t:get("unexpected") or 0)
    seen = seen .. (t:get("statuses") or "")
  end
  io.write(string.format("Unexpected status: %d (expected %d;%s)\n", n, expect, seen == "" and " none" or seen))
end

-- GET requests of bench/dossiers.sh. Every answer with another status than BENCH_EXPECT is counted and
-- printed as "Unexpected status: N" (a lookup that answers 404/429, a "my dossiers" page that answers 303
-- has lost its session: none may pass for a fast answer).
--   BENCH_CODES   file of real dossier codes, one a line: each request appends a random one to the URL,
--                 whose path ends in "code=" or "ma=", so answers are not one cached row
--   BENCH_COOKIE  Cookie header (a signed-in citizen)
--   BENCH_AUTH    Authorization header ("Bearer mct_…")
--   BENCH_EXPECT  expected status (default 200)
local codes = {}
local codes_file = os.getenv("BENCH_CODES") or ""
if codes_file ~= "" then
  for line in io.lines(codes_file) do
    if line ~= "" then codes[#codes + 1] = line end
  end
end
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then wrk.headers["Cookie"] = cookie end
local auth = os.getenv("BENCH_AUTH") or ""
if auth ~= "" then wrk.headers["Authorization"] = auth end
-- The status check and its report (setup, init, response, done) are shared.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "expect_status.lua")

function on_init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "1", 16) % 100000)
end

function request()
  if #codes > 0 then
    return wrk.format(nil, wrk.path .. codes[math.random(#codes)])
  end
  return wrk.format(nil, wrk.path)
end

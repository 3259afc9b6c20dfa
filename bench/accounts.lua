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
-- The status check and its report (setup, init, response, done) are shared.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "expect_status.lua")

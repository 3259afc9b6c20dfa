-- Shared by bench/accounts.lua and bench/dossiers.lua (loaded with dofile): every answer whose status is
-- not BENCH_EXPECT (default 200) is counted, and done() prints "Unexpected status: N (expected E; s1 s2 s3)",
-- which parse_wrk in bench/setup.sh reads as errors. A script may define on_init(args) for its own set-up.
expect = tonumber(os.getenv("BENCH_EXPECT") or "200")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
  statuses = ""
  if on_init then on_init(args) end
end

function response(status, headers, body)
  if status ~= expect then
    unexpected = unexpected + 1
    if unexpected <= 3 then statuses = statuses .. " " .. status end
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

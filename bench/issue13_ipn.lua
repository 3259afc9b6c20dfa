-- VNPay IPN requests of bench/issue13.sh. Each request is the next line of BENCH_URLS (signed path + query, one a
-- line): thread t of BENCH_THREADS takes lines t, t + BENCH_THREADS, …, so every line is sent once in all.
-- BENCH_CYCLE=1 walks the lines again and again (replays); otherwise a thread that has sent all of its lines
-- sends its last one again and counts it as "exhausted" (the file was too short for the run).
-- Every answer is read: RspCode BENCH_EXPECT ("00" first-time, "02" replay) is what is wanted; any other code or
-- HTTP status is counted and done() prints "Unexpected status: N", which parse_wrk reads as errors, then
-- "RspCode XX: n" for each code seen and "Lines sent: n of m".
local file = os.getenv("BENCH_URLS") or ""
local expect = os.getenv("BENCH_EXPECT") or "00"
local cycle = os.getenv("BENCH_CYCLE") == "1"
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  urls = {}
  local i = 0
  for line in io.lines(file) do
    if line ~= "" then
      if i % nthreads == id then urls[#urls + 1] = line end
      i = i + 1
    end
  end
  total_lines = i
  nurls = #urls
  sent = 0
  exhausted = 0
  unexpected = 0
  codes = {}
  seen = ""
end

function request()
  sent = sent + 1
  local k = sent
  if k > #urls then
    if cycle then
      k = (k - 1) % #urls + 1
    else
      exhausted = exhausted + 1
      k = #urls
    end
  end
  return wrk.format("GET", urls[k])
end

function response(status, headers, body)
  local code = body and body:match('"RspCode":"(%w+)"') or ("HTTP" .. status)
  if status ~= 200 then code = "HTTP" .. status end
  codes[code] = (codes[code] or 0) + 1
  if code ~= expect then
    unexpected = unexpected + 1
    if unexpected <= 3 then seen = seen .. " " .. code end
  end
end

function done(summary, latency, requests)
  local n, all, sent_total, lines, exhausted_total, s = 0, {}, 0, 0, 0, ""
  for _, t in ipairs(threads) do
    n = n + (t:get("unexpected") or 0)
    s = s .. (t:get("seen") or "")
    sent_total = sent_total + math.min(t:get("sent") or 0, t:get("nurls") or 0)
    lines = t:get("total_lines") or lines
    exhausted_total = exhausted_total + (t:get("exhausted") or 0)
    local c = t:get("codes") or {}
    for k, v in pairs(c) do all[k] = (all[k] or 0) + v end
  end
  io.write(string.format("Unexpected status: %d (expected RspCode %s;%s)\n", n, expect, s == "" and " none" or s))
  for k, v in pairs(all) do io.write(string.format("RspCode %s: %d\n", k, v)) end
  io.write(string.format("Lines sent: %d of %d\n", sent_total, lines))
  io.write(string.format("Exhausted: %d\n", exhausted_total))
end

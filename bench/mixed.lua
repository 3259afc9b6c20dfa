-- Mixed workload for wrk: used by bench/mixed.sh, one connection per wrk thread (wrk -tN -cN), so that
-- each thread's Lua state is one client with its own flow: request() and response() alternate and the
-- script always knows which request an answer belongs to.
--
--   MIXED_CONFIG=config.lua wrk -t64 -c64 -d60s --timeout 10s -s bench/mixed.lua http://127.0.0.1:PORT
--
-- The config (written by bench/mixed_setup.py) returns a table: the roles and how many connections
-- each gets, catalog paths, real dossier codes, citizens (email, password, API token), the desk's token,
-- the draft to file, and the directory for the samples. Roles:
--   catalog  GET search page / procedure page / search API, round robin          -> 200
--   lookup   GET /tra-cuu?ma=CODE and /api/v1/dossiers/lookup?code=CODE           -> 200, the code shown
--   login    GET /dang-nhap (CSRF cookie + _csrf), POST /dang-nhap -> 303 + session cookie,
--            GET /tai-khoan with it -> 200 showing the user's e-mail, POST /dang-xuat -> 303; again
--   submit   POST /api/v1/dossiers -> 201 (Location), PUT one small PDF per mandatory document -> 201,
--            POST .../submit -> 200 with a code; again
--   desk     GET /api/v1/staff/dossiers?status=1 -> 200; POST .../actions {"action":"accept"} -> 200 for
--            each listed dossier of this desk's share (id % desks); when none, waits 200 ms and lists again
--
-- Every answer is written to SAMPLES_DIR/t<N>.tsv as "S <type> <microseconds> <status> <ok>"; an answer
-- with another status than expected, or without what the next step needs, is an error ("E ..." with a
-- snippet); a request whose answer never came (socket error, timeout) is "L <type>". Submitted codes
-- are "C <code> <id>", accepted dossiers "A <id>". bench/mixed_report.py reads the files after wrk exits.

local ffi = require("ffi")
ffi.cdef([[
  typedef struct { long tv_sec; long tv_nsec; } mixed_timespec;
  int clock_gettime(int clock_id, mixed_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local ts = ffi.new("mixed_timespec")
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local config = dofile(os.getenv("MIXED_CONFIG") or error("MIXED_CONFIG is not set"))

-- The role of each thread, in order: catalog x N, lookup x N, ...
local ROLE_ORDER = { "catalog", "lookup", "login", "submit", "desk" }
local assignments = {}
for _, name in ipairs(ROLE_ORDER) do
  for k = 1, (config.mix[name] or 0) do
    table.insert(assignments, { role = name, k = k })
  end
end

-- Main state: give each thread its role and its number within the role.
local next_thread = 0
function setup(thread)
  next_thread = next_thread + 1
  local a = assignments[next_thread]
  if a == nil then
    error(string.format("more wrk threads than connections in the mix (%d): use -t%d -c%d",
      #assignments, #assignments, #assignments))
  end
  thread:set("thread_no", next_thread)
  thread:set("role", a.role)
  thread:set("role_k", a.k)
end

-- --- Per-thread state (globals set by setup: thread_no, role, role_k) ---------------------------

local out            -- the samples file
local verify_call    -- wrk calls request() once in the first thread before the load, to check it
local pending        -- the request in flight: { kind, expect, t0, check }
local flow           -- the role's state
local pause_ms = 0   -- delay before the next request (desk with nothing to do)

local function header(headers, name)
  name = name:lower()
  for k, v in pairs(headers) do
    if k:lower() == name then return v end
  end
  return nil
end

local function snippet(body)
  local s = (body or ""):sub(1, 300):gsub("[\r\n\t]+", " ")
  return s
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function citizen(k)
  local list = config.citizens
  return list[((k - 1) % #list) + 1]
end

-- Each role: reset() starts its flow again, next() returns the next request as
-- kind, expect, method, path, headers, body, check; check(status, headers, body) returns nil when the
-- answer is what the flow needs, else a reason.
local roles = {}

roles.catalog = {
  reset = function() end,
  init = function()
    -- The three kinds interleaved: search page, procedure page, search API, search page, ...
    flow.items = {}
    local lists = {
      { "catalog search page", config.catalog.search_pages },
      { "procedure page", config.catalog.procedure_pages },
      { "search API", config.catalog.search_api },
    }
    local longest = 0
    for _, l in ipairs(lists) do longest = math.max(longest, #l[2]) end
    for i = 1, longest do
      for _, l in ipairs(lists) do
        local paths = l[2]
        table.insert(flow.items, { l[1], paths[(i - 1) % #paths + 1] })
      end
    end
    -- Each thread from another starting point.
    flow.i = (thread_no * 7) % #flow.items
  end,
  next = function()
    flow.i = flow.i % #flow.items + 1
    local item = flow.items[flow.i]
    return item[1], 200, "GET", item[2], nil, nil, function(_, _, body)
      if #body < 100 then return "short body" end
    end
  end,
}

roles.lookup = {
  reset = function() end,
  init = function()
    flow.i = thread_no % #config.codes + 1
    flow.api = false
  end,
  next = function()
    flow.api = not flow.api
    if not flow.api then flow.i = flow.i % #config.codes + 1 end
    local code = config.codes[flow.i]
    local kind, path
    if flow.api then
      kind, path = "lookup API", "/api/v1/dossiers/lookup?code=" .. urlencode(code)
    else
      kind, path = "lookup page", "/tra-cuu?ma=" .. urlencode(code)
    end
    return kind, 200, "GET", path, nil, nil, function(_, _, body)
      if not body:find(code, 1, true) then return "the code is not in the answer" end
    end
  end,
}

roles.login = {
  init = function()
    flow.user = citizen(role_k)
  end,
  reset = function()
    flow.step = "page"
    flow.csrf = nil
    flow.session = nil
  end,
  next = function()
    local step = flow.step
    if step == "page" then
      return "login page", 200, "GET", "/dang-nhap", nil, nil, function(_, headers, body)
        local field = body:match('name="_csrf" value="([^"]+)"')
        local cookie = (header(headers, "set-cookie") or ""):match("motcua_csrf=([^;]+)")
        if field == nil or cookie == nil then return "no _csrf field or motcua_csrf cookie" end
        if field ~= cookie then return "_csrf field and motcua_csrf cookie differ" end
        flow.csrf = cookie
        flow.step = "login"
      end
    elseif step == "login" then
      local body = "_csrf=" .. urlencode(flow.csrf) .. "&email=" .. urlencode(flow.user.email) ..
        "&password=" .. urlencode(flow.user.password)
      return "login (POST, bcrypt)", 303, "POST", "/dang-nhap",
        { ["Cookie"] = "motcua_csrf=" .. flow.csrf, ["Content-Type"] = "application/x-www-form-urlencoded" },
        body, function(_, headers)
          local session = (header(headers, "set-cookie") or ""):match("motcua_session=([^;]+)")
          if session == nil or session == "" then return "no motcua_session cookie" end
          flow.session = session
          flow.step = "account"
        end
    elseif step == "account" then
      return "account page (signed in)", 200, "GET", "/tai-khoan",
        { ["Cookie"] = "motcua_session=" .. flow.session .. "; motcua_csrf=" .. flow.csrf }, nil,
        function(_, _, body)
          if not body:find(flow.user.email, 1, true) then return "the account page does not show the user" end
          -- The CSRF token is renewed at login (the session's own): take it from the page's forms.
          local field = body:match('name="_csrf" value="([^"]+)"')
          if field == nil then return "no _csrf field on the account page" end
          flow.csrf = field
          flow.step = "logout"
        end
    else
      return "logout (POST)", 303, "POST", "/dang-xuat",
        { ["Cookie"] = "motcua_session=" .. flow.session .. "; motcua_csrf=" .. flow.csrf,
          ["Content-Type"] = "application/x-www-form-urlencoded" },
        "_csrf=" .. urlencode(flow.csrf), function()
          flow.step = "page"
        end
    end
  end,
}

roles.submit = {
  init = function()
    flow.auth = "Bearer " .. citizen(role_k).token
    flow.n = 0
  end,
  reset = function()
    flow.step = "draft"
    flow.id = nil
    flow.doc = 1
  end,
  next = function()
    local step = flow.step
    if step == "draft" then
      return "submission: create draft", 201, "POST", "/api/v1/dossiers",
        { ["Authorization"] = flow.auth, ["Content-Type"] = "application/json" }, config.submit.draft,
        function(_, headers)
          local id = (header(headers, "location") or ""):match("^/api/v1/dossiers/(%d+)$")
          if id == nil then return "no Location /api/v1/dossiers/{id}" end
          flow.id = id
          flow.doc = 1
          flow.step = "upload"
        end
    elseif step == "upload" then
      flow.n = flow.n + 1
      local position = config.submit.positions[flow.doc]
      -- A small PDF, different every time (the file store keeps one copy per content).
      local pdf = "%PDF-1.4\n% motcua mixed load " .. thread_no .. "-" .. flow.n .. "\n" .. config.submit.pdf_filler ..
        "1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
      return "submission: upload PDF", 201, "PUT",
        "/api/v1/dossiers/" .. flow.id .. "/documents/" .. position .. "/files",
        { ["Authorization"] = flow.auth, ["Content-Type"] = "application/pdf", ["X-File-Name"] = "giay-to-" .. flow.n .. ".pdf" },
        pdf, function()
          flow.doc = flow.doc + 1
          if flow.doc > #config.submit.positions then flow.step = "submit" end
        end
    else
      return "submission: submit", 200, "POST", "/api/v1/dossiers/" .. flow.id .. "/submit",
        { ["Authorization"] = flow.auth }, nil, function(_, _, body)
          local code = body:match('"code":"([^"]+)"')
          if code == nil or not body:find('"status":1[,}]') then return "no code or not status 1" end
          out:write("C\t", code, "\t", flow.id, "\n")
          flow.step = "draft"
        end
    end
  end,
}

roles.desk = {
  init = function()
    flow.auth = "Bearer " .. config.desk_token
    flow.desks = config.mix.desk
    flow.done = {}
  end,
  reset = function()
    flow.queue = {}
  end,
  next = function()
    local id = flow.queue[1]
    if id == nil then
      return "desk: queue (status 1)", 200, "GET", "/api/v1/staff/dossiers?status=1",
        { ["Authorization"] = flow.auth }, nil, function(_, _, body)
          if not body:find('"items"', 1, true) then return "no items in the answer" end
          for found in body:gmatch('"id":(%d+)') do
            local n = tonumber(found)
            if n % flow.desks == role_k - 1 and not flow.done[n] then
              table.insert(flow.queue, n)
              flow.done[n] = true
            end
          end
          if #flow.queue == 0 then pause_ms = 200 end
        end
    end
    table.remove(flow.queue, 1)
    return "desk: accept", 200, "POST", "/api/v1/staff/dossiers/" .. id .. "/actions",
      { ["Authorization"] = flow.auth, ["Content-Type"] = "application/json" },
      '{"action":"accept","note":""}', function(_, _, body)
        if not body:find('"status":2[,}]') then return "the dossier is not accepted (status 2)" end
        out:write("A\t", id, "\n")
      end
  end,
}

-- --- wrk's callbacks ------------------------------------------------------------------------

function init(args)
  local dir = config.samples_dir
  out = assert(io.open(string.format("%s/t%02d.tsv", dir, thread_no), "w"))
  out:setvbuf("full")
  out:write("R\t", role, "\t", role_k, "\n")
  verify_call = thread_no == 1
  flow = {}
  roles[role].init()
  roles[role].reset()
end

function request()
  if verify_call then
    -- wrk's check of the script (the first thread only, before the load): not a request of the flow.
    verify_call = false
    local _, _, method, path, headers, body = roles[role].next()
    return wrk.format(method, path, headers, body)
  end
  if pending ~= nil then
    -- The answer to the last request never came: wrk reconnected after a socket error or a timeout.
    out:write("L\t", pending.kind, "\n")
    pending = nil
    roles[role].reset()
  end
  local kind, expect, method, path, headers, body, check = roles[role].next()
  pending = { kind = kind, expect = expect, check = check, t0 = now_us() }
  return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
  local p = pending
  if p == nil then return end
  pending = nil
  local us = now_us() - p.t0
  local problem
  if status ~= p.expect then
    problem = "expected " .. p.expect
  else
    problem = p.check(status, headers, body or "")
  end
  out:write("S\t", p.kind, "\t", string.format("%d", us), "\t", status, "\t", problem and "0" or "1", "\n")
  if problem then
    out:write("E\t", p.kind, "\t", status, "\t", problem, "\t", snippet(body), "\n")
    roles[role].reset()
  end
end

function delay()
  local ms = pause_ms
  pause_ms = 0
  return ms
end

-- Catalog requests that never hit the response cache: varied search terms and pages, plus a unique
-- ignored parameter, so every request is rendered. Set the path with: wrk ... -s bench/uncached.lua URL
-- where URL ends in /thu-tuc (search page) or /api/v1/procedures (search API).
local words = {"cong+chuc", "vien+chuc", "nang+bac+luong", "hoi", "thi+tuyen", "xet+tuyen", "dai+hoi",
  "luu+tru", "chung+chi", "to+chuc", "don+vi", "su+nghiep", "khen+thuong", "tien+luong", "nghi+huu",
  "tham+dinh", "thanh+lap", "giai+the", "bo+nhiem", "ngach"}
local counter = 0
local path = nil

function init(args)
  path = wrk.path
  math.randomseed(os.time() + tostring({}):len())
end

function request()
  counter = counter + 1
  local q = words[math.random(#words)]
  local page = math.random(1, 5)
  return wrk.format("GET", path .. "?q=" .. q .. "&page=" .. page .. "&nocache=" .. counter .. "-" .. math.random(1e9))
end

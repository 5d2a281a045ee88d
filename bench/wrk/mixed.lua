-- The mixed load: mostly GETs of various pages, some comment and share POSTs.
-- wrk ... -s mixed.lua URL -- DATA.lua, where DATA.lua (written by bench/run.py) returns
-- { origin = "...", gets = {path, ...}, comments = {{path=, body=, cookie=}, ...},
--   shares = {{path=, body=}, ...}, comment_share = P, share_share = P }.
-- Every request comes from another reader address (X-Forwarded-For, trusted by Byline's
-- PROXY_FIX_X_FOR=1 as behind a reverse proxy), as on a busy site, so each reader stays
-- within the per-reader rate limits and every share is a new, counted one.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "stats.lua")

local data
local counter = 0
local FORM = "application/x-www-form-urlencoded"

function start(args)
   data = dofile(args[1])
   math.randomseed(7919 * thread_number)
end

local function reader_address()
   counter = counter + 1
   local n = (thread_number - 1) * 4194304 + counter % 4194304
   return string.format("10.%d.%d.%d",
      math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
end

local function post(items, headers)
   local item = items[math.random(#items)]
   headers["Content-Type"] = FORM
   headers["Origin"] = data.origin
   if item.cookie then
      headers["Cookie"] = item.cookie
   end
   return wrk.format("POST", item.path, headers, item.body)
end

function request()
   local headers = { ["X-Forwarded-For"] = reader_address() }
   local roll = math.random()
   if roll < data.comment_share then
      return post(data.comments, headers)
   elseif roll < data.comment_share + data.share_share then
      return post(data.shares, headers)
   end
   return wrk.format("GET", data.gets[math.random(#data.gets)], headers)
end

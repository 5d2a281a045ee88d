-- One page, requested over and over (the URL given to wrk); figures as JSON at the end.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "stats.lua")

-- wrk: request the paths of a file (args[1]) in turn, each thread its own share, so that no path
-- is requested twice in a run (args[2] = number of threads, args[3] = first line to use); counts
-- the answers the page cache gave (X-Page-Cache: hit), which must be none for "uncached".
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  step = tonumber(args[2])
  first = tonumber(args[3] or "0")
  n = 0
  hits = 0
end

function request()
  local i = (first + n * step + id) % #paths + 1
  n = n + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if headers["X-Page-Cache"] == "hit" then
    hits = hits + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("hits")
  end
  io.write(string.format("page-cache-hits: %d\n", total))
end

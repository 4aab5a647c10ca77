-- wrk script of `make bench` (bench.py).
--   wrk ... -s booking_load.lua URL -- LINES_FILE THREADS   POST each prepared line once:
--       LINES_FILE holds "<bearer token>\t<JSON body>" lines; thread n takes every THREADS-th line.
--   wrk ... -s booking_load.lua URL                         GET URL as given.
-- done() prints one line, "BENCH {json}", that figures.parse_wrk reads (wrk's own --latency
-- output has no p95). wrk counts answers >= 400 in errors.status: the non-2xx column.

local threads = {}
local created = 0

function setup(thread)
   created = created + 1
   thread:set("id", created)
   table.insert(threads, thread)
end

local lines = {}
local position = 0
wrapped = 0 -- global: done() reads it through thread:get

function init(args)
   local path, count = args[1], tonumber(args[2] or "1")
   if path == nil then
      return
   end
   local index = 0
   for text in io.lines(path) do
      if index % count == id - 1 then
         local tab = text:find("\t", 1, true)
         table.insert(lines, { text:sub(1, tab - 1), text:sub(tab + 1) })
      end
      index = index + 1
   end
end

function request()
   if #lines == 0 then
      return wrk.request()
   end
   position = position + 1
   if position > #lines then
      position, wrapped = 1, wrapped + 1
   end
   local line = lines[position]
   local headers = { ["Authorization"] = "Bearer " .. line[1], ["Content-Type"] = "application/json" }
   return wrk.format("POST", nil, headers, line[2])
end

function done(summary, latency, requests)
   local reused = 0
   for _, thread in ipairs(threads) do
      reused = reused + (thread:get("wrapped") or 0)
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %.0f, "non_2xx": %d, "socket_errors": %d, '
         .. '"p50_us": %.0f, "p95_us": %.0f, "p99_us": %.0f, "wrapped": %d}\n',
      summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), reused
   ))
end

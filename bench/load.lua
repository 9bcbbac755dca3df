-- wrk's script for bench/load.py: the requests of one page, read from a file.
--
--     wrk -t1 -c8 -d10s --timeout 60s -s bench/load.lua http://127.0.0.1:PORT/ -- FILE MODE
--
-- FILE has one request a line: method, path, cookie header and form body, tab-separated (the
-- body already form-encoded). MODE "cycle" sends them in turn, again and again (pages that are
-- read); "once" sends each one once (writes: each must be distinct) and stops when every answer
-- is in (its rate is then over the time that took). The run ends with one line, "RESULT {...}",
-- that load.py reads: requests, seconds, latency percentiles in microseconds, socket errors and
-- the count of each status code.

local requests, after, reserved, once, answered = {}, 1, 0, false, 0
statuses, sent = {}, 0
-- Writes that end before the run's duration time themselves (wrk's own duration is always the
-- whole -d): the monotonic clock at the first request and at the last answer.
started, finished = nil, nil

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *t);
]])
local CLOCK_MONOTONIC = 1

local function now()
   local t = ffi.new("bench_timespec")
   ffi.C.clock_gettime(CLOCK_MONOTONIC, t)
   return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

function init(args)
   once = args[2] == "once"
   for line in io.lines(args[1]) do
      local method, path, cookie, body = line:match("^(%u+)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = { Cookie = cookie }
      if method == "POST" then
         headers["Content-Type"] = "application/x-www-form-urlencoded"
      else
         body = nil
      end
      requests[#requests + 1] = wrk.format(method, path, headers, body)
   end
end

-- Writes: wrk asks delay() before each request, so a request is counted (reserved) here; once
-- every request is, a connection waits an hour (longer than any run) instead of sending another,
-- and the run stops at the last answer (or at its duration).
function delay()
   if once then
      if reserved >= #requests then
         return 3600000
      end
      reserved = reserved + 1
   end
   return 0
end

function request()
   started = started or now()
   if after > #requests then
      after = 1
   end
   local next = requests[after]
   after, sent = after + 1, sent + 1
   return next
end

function response(status)
   statuses[status] = (statuses[status] or 0) + 1
   answered = answered + 1
   if once and answered >= #requests then
      finished = now()
      wrk.thread:stop()
   end
end

local threads = {}

function setup(thread)
   threads[#threads + 1] = thread
end

function done(summary, latency)
   local counts, seconds, written = {}, summary.duration / 1e6, 0
   for _, thread in ipairs(threads) do
      written = written + thread:get("sent")
      for status, n in pairs(thread:get("statuses")) do
         counts[#counts + 1] = string.format('"%d": %d', status, n)
      end
      if thread:get("finished") then
         seconds = thread:get("finished") - thread:get("started")
      end
   end
   local e = summary.errors
   io.write(string.format(
      'RESULT {"sent": %d, "requests": %d, "seconds": %.3f, "p50": %d, "p95": %d, "p99": %d, "max": %d, '
         .. '"connect": %d, "read": %d, "write": %d, "timeout": %d, "statuses": {%s}}\n',
      written, summary.requests, seconds, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout,
      table.concat(counts, ", ")))
end

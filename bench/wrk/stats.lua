-- Shared by the benchmark's wrk scripts (loaded with dofile): counts the status codes
-- each thread sees and, when the run is over, prints the run's figures as one line of
-- JSON ("BENCH_JSON {...}") for bench/load.py. A script may define start(args), called
-- in each thread before its first request.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_number", #threads)
end

function init(args)
   codes = {}
   if start then
      start(args)
   end
end

function response(status, headers, body)
   codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
   local merged = {}
   for _, thread in ipairs(threads) do
      for code, n in pairs(thread:get("codes") or {}) do
         merged[code] = (merged[code] or 0) + n
      end
   end
   local status = {}
   for code, n in pairs(merged) do
      table.insert(status, string.format('"%d": %d', code, n))
   end
   local errors = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
         .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "mean": %.1f, "max": %d}, '
         .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
         .. '"status_errors": %d, "status": {%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.mean, latency.max,
      errors.connect, errors.read, errors.write, errors.timeout, errors.status,
      table.concat(status, ", ")))
end

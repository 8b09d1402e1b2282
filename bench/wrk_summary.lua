-- Counts every answer that is not 200 (wrk's own count lets redirects through, and a
-- redirect to the sign-in page would pass for a fast home page), then prints one JSON
-- line with the figures bench/web.py records.
--
-- With the arguments "fresh <run>", every request asks for a new address
-- (?fresh=<run>-<thread>-<n>), so a page the box keeps for a repeated request is rendered
-- each time, as for a person opening it for the first time. <run> differs from one wrk
-- run to the next: the warm-up must not leave pages the measured run would find kept.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  last_wrong_status = 0
  if args[1] == "fresh" then
    local prefix = wrk.path .. "?fresh=" .. args[2] .. "-" .. id .. "-"
    local sent = 0
    request = function()
      sent = sent + 1
      return wrk.format(nil, prefix .. sent)
    end
  end
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    last_wrong_status = status
  end
end

function done(summary, latency, requests)
  local wrong, wrong_status = 0, 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("not_ok")
    if thread:get("last_wrong_status") ~= 0 then
      wrong_status = thread:get("last_wrong_status")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "not_200": %d, ' ..
    '"a_wrong_status": %d, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d}, "latency_us": {"mean": %.0f, "p50": %d, "p90": %d, "p99": %d, ' ..
    '"max": %d}}\n',
    summary.requests, summary.duration, summary.bytes, wrong, wrong_status,
    e.connect, e.read, e.write, e.timeout, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

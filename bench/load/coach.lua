-- wrk script for bench/load/run.py: `wrk -s coach.lua URL -- MODE [FILE]`, requests back to back.
--   healthz  GET /healthz
--   check    POST /api/v1/check: FILE has one request a line, "TOKEN<tab>JSON body"
--   send     POST /api/v1/ledger/events: the same, with __EVENT_ID__ in each body
--            replaced by a fresh UUID, so every send is a new event
-- Each thread starts at its own place in FILE, so the connections check different applicants.

local threads, mode, lines, requests, next_index = {}, nil, {}, {}, 1

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function init(args)
  mode = args[1]
  math.randomseed(os.time() * 1000 + id)
  if mode == "healthz" then
    requests[1] = wrk.format("GET", "/healthz")
    return
  end
  for line in io.lines(args[2]) do
    local token, body = line:match("^([^\t]+)\t(.+)$")
    table.insert(lines, {token = token, body = body})
  end
  next_index = (id * 7919) % #lines + 1
  if mode == "check" then
    for i, entry in ipairs(lines) do
      requests[i] = wrk.format("POST", "/api/v1/check",
        {["Authorization"] = "Bearer " .. entry.token, ["Content-Type"] = "application/json"}, entry.body)
    end
  end
end

function request()
  if mode == "healthz" then
    return requests[1]
  end
  local i = next_index
  next_index = next_index % #lines + 1
  if mode == "check" then
    return requests[i]
  end
  local entry = lines[i]
  local body = string.gsub(entry.body, "__EVENT_ID__", uuid(), 1)
  return wrk.format("POST", "/api/v1/ledger/events",
    {["Authorization"] = "Bearer " .. entry.token, ["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d}, "latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end

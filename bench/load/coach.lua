-- wrk script for bench/load/run.py: `wrk -s coach.lua URL -- MODE [FILE]`, requests back to back.
--   healthz  GET /healthz
--   check    POST /api/v1/check: FILE has one request a line, "TOKEN<tab>JSON body"; __TYPING__ in
--            each body is replaced by a made-up word, so the sentence being typed is always new
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
end

local function word()
  return (string.gsub("xxxxxxx", "x", function()
    local letters = "etaoinshrdlu"
    local n = math.random(1, #letters)
    return letters:sub(n, n)
  end))
end

function request()
  if mode == "healthz" then
    return requests[1]
  end
  local entry = lines[next_index]
  next_index = next_index % #lines + 1
  local path, body = "/api/v1/ledger/events", string.gsub(entry.body, "__EVENT_ID__", uuid(), 1)
  if mode == "check" then
    path, body = "/api/v1/check", string.gsub(entry.body, "__TYPING__", " " .. word(), 1)
  end
  return wrk.format("POST", path,
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

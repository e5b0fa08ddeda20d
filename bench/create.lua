-- wrk script for `npm run bench`: POST a create-storage-connection body naming a different storage
-- file on every request (twinsync answers a reused file with 409, which would measure the wrong path).
--
-- Environment (set by bench/wrk.ts):
--   BENCH_IDS        file with one storage file id per line
--   BENCH_THREADS    the -t given to wrk: each thread takes its own contiguous slice of the ids
--   BENCH_IMODEL_ID  iModel id put in every body
--   BENCH_TOKEN      bearer token
--   BENCH_EXPECT     the status every response should have (201)
--
-- done() prints "bench-…" lines that bench/wrk.ts reads after wrk's own report.

local threads = {}

-- setup() runs in wrk's main Lua state; `index` becomes a global in the thread's own state.
function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- wrk calls init() for a thread before setup() of the next one, so the count comes from outside.
  local count = tonumber(os.getenv("BENCH_THREADS"))
  ids = {}
  for line in io.lines(os.getenv("BENCH_IDS")) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  local per = math.floor(#ids / count)
  first = index * per + 1
  last = first + per - 1
  nextId = first
  wrapped = 0
  expected = tonumber(os.getenv("BENCH_EXPECT"))
  statuses = {}
  samples = {}
  prefix = '{"iModelId":"' .. os.getenv("BENCH_IMODEL_ID") .. '","displayName":"bench","sourceFiles":[{"storageFileId":"'
  suffix = '","connectorType":"IFC"}]}'
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  -- Running out of ids reuses them: the resulting 409s make the run invalid rather than silently fast.
  if nextId > last then
    nextId = first
    wrapped = wrapped + 1
  end
  local id = ids[nextId]
  nextId = nextId + 1
  return wrk.format(nil, nil, nil, prefix .. id .. suffix)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= expected and #samples < 3 then
    samples[#samples + 1] = status .. " " .. (body or "")
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      io.write(string.format("bench-status %d %d\n", status, n))
    end
    for _, sample in ipairs(thread:get("samples")) do
      io.write("bench-sample " .. (sample:gsub("[\r\n]", " ")) .. "\n")
    end
    io.write(string.format("bench-wrapped %d\n", thread:get("wrapped")))
  end
end

-- wrk script: POST /api/v1/counters/<n>/call-next, rotating through the counters and their
-- officers' bearer tokens in LAYSO_BENCH_COUNTERS ("1=<token>,2=<token>,..."). Used by
-- bench/bench_http.py.
local requests = {}
for number, token in string.gmatch(os.getenv("LAYSO_BENCH_COUNTERS") or "", "(%d+)=([^,]+)") do
    requests[#requests + 1] = wrk.format("POST", "/api/v1/counters/" .. number .. "/call-next",
        { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, "")
end
if #requests == 0 then
    error("LAYSO_BENCH_COUNTERS is empty")
end
local next_index = 0

request = function()
    next_index = next_index % #requests + 1
    return requests[next_index]
end

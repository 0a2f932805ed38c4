-- wrk script: POST /api/v1/tickets, rotating through the services in LAYSO_BENCH_SERVICES
-- (comma-separated codes, default "HT"). Used by bench/bench_http.py.
local services = {}
for code in string.gmatch(os.getenv("LAYSO_BENCH_SERVICES") or "HT", "[^,]+") do
    services[#services + 1] = code
end
local next_index = 0
local headers = { ["Content-Type"] = "application/json" }

request = function()
    next_index = next_index % #services + 1
    return wrk.format("POST", "/api/v1/tickets", headers, '{"service": "' .. services[next_index] .. '"}')
end

-- Rotates over the paths in the PATHS environment variable (space-separated), so every agent
-- sees the same mix; "{id}" becomes a number from 1 to 1000.
local paths = {}
for p in string.gmatch(os.getenv("PATHS") or "/hello", "%S+") do
  paths[#paths + 1] = p
end
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
local n = 0

request = function()
  n = n + 1
  local path = paths[(n % #paths) + 1]
  path = string.gsub(path, "{id}", tostring((n * 7919) % 1000 + 1))
  return wrk.format("GET", path)
end

if delay_ms > 0 then
  -- a fixed pause per connection between requests: a moderate, steady rate, not saturation
  delay = function()
    return delay_ms
  end
end

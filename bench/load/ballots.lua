-- wrk script: every request changes one member's ballot on one motion.
-- Members take turns (each connection walks its own slice of the members), and each new ballot
-- differs from the member's last one, so every request is a real change of vote.
local tokens = {}
for line in io.lines(os.getenv("SHURA_TOKENS")) do tokens[#tokens + 1] = line end
local motion = os.getenv("SHURA_MOTION")
local choices = { '{"choice":"yes"}', '{"choice":"no"}', '{"choice":"abstain"}' }
-- For an election (SHURA_OPTIONS: a file of its candidates), each ballot ranks five of them.
local options = {}
if os.getenv("SHURA_OPTIONS") then
  for line in io.lines(os.getenv("SHURA_OPTIONS")) do options[#options + 1] = line end
end
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  thread_id = id
end

function request()
  counter = counter + 1
  local member = ((counter * 7919 + thread_id * 104729) % #tokens) + 1
  local body = choices[(counter % 3) + 1]
  if #options > 0 then
    local ranked = {}
    for i = 0, 4 do
      ranked[#ranked + 1] = '"' .. options[((counter * 31 + thread_id * 17 + i * 41) % #options) + 1] .. '"'
    end
    body = '{"ranking":[' .. table.concat(ranked, ",") .. ']}'
  end
  return wrk.format("PUT", "/api/v1/motions/" .. motion .. "/ballot",
    { ["Authorization"] = "Bearer " .. tokens[member], ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end

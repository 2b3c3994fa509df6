-- wrk script for POST /v1/users (bench/rest.sh): every request creates a new
-- user with a unique e-mail address (a repeated one would be ALREADY_EXISTS,
-- 409, which wrk counts as a non-2xx response and the bench as a failure).
-- Usage: wrk ... -s bench/post-user.lua URL -- TAG   (TAG: unique per run)
dofile("bench/wrk-errors.lua")
local counter = 0
local tag = "x"

function init(args)
  tag = (args[1] or "x") .. "-" .. tostring(os.time())
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"firstName":"Bench","lastName":"User","email":"bench-%s-%d@example.com"}', tag, counter)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

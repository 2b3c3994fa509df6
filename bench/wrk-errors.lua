-- wrk script used for warm-ups (bench/lib.sh): prints the status and body of
-- the first 5 responses that are not 2xx, so a failed call can be read, not
-- only counted. Not used while measuring GETs: a Lua response() hook costs the
-- client time on every response (post-user.lua uses it always: creates are slow).
local shown = 0

function response(status, headers, body)
  if (status < 200 or status > 299) and shown < 5 then
    shown = shown + 1
    io.write(string.format("non-2xx response: %d %s\n", status, body))
  end
end

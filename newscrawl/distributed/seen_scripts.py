"""The Lua scripts of the Redis seen store (``seen.py``): each one atomic on the server.

Keys and states are described in ``seen.py``. A story is *ownable* by a run when neither set of
seen stories holds it and no other run with a live lease claims it. A story's *writer* record
(``seen:writers``) is its run and a tag, the last 16 characters of its content hash, between
them a tab.
"""

_OWNABLE = """
local function ownable(seen, member, field, run)
  if redis.call('SISMEMBER', seen, member) == 1 then return false end
  local owner = redis.call('HGET', KEYS[3], field)
  return (not owner) or owner == run
    or redis.call('EXISTS', ARGV[2] .. owner .. ':alive') == 0
end
"""
# KEYS: seen ids, seen hashes, claims, run claims. ARGV: run, run prefix, id, hash.
CLAIM = (
    _OWNABLE
    + """
local fi, fh = 'i:' .. ARGV[3], 'h:' .. ARGV[4]
if not ownable(KEYS[1], ARGV[3], fi, ARGV[1]) or not ownable(KEYS[2], ARGV[4], fh, ARGV[1]) then
  return 0
end
if redis.call('HGET', KEYS[3], fi) == ARGV[1] or redis.call('HGET', KEYS[3], fh) == ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[3], fi, ARGV[1], fh, ARGV[1])
redis.call('SADD', KEYS[4], ARGV[3] .. '\\t' .. ARGV[4])
return 1
"""
)
# KEYS: seen ids, seen hashes, claims, run claims, run committed, run, writers.
# ARGV: run, prefix, claims…
COMMIT = (
    _OWNABLE
    + """
if redis.call('HGET', KEYS[6], 'state') ~= 'committing' then return redis.error_reply('FENCED') end
local lost = {}
for i = 3, #ARGV do
  local tab = string.find(ARGV[i], '\\t', 1, true)
  local id, h = string.sub(ARGV[i], 1, tab - 1), string.sub(ARGV[i], tab + 1)
  local fi, fh = 'i:' .. id, 'h:' .. h
  if ownable(KEYS[1], id, fi, ARGV[1]) and ownable(KEYS[2], h, fh, ARGV[1]) then
    redis.call('SADD', KEYS[1], id)
    redis.call('SADD', KEYS[2], h)
    redis.call('HSET', KEYS[7], id, ARGV[1] .. '\\t' .. string.sub(h, -16))
    redis.call('HDEL', KEYS[3], fi, fh)
    redis.call('SADD', KEYS[5], ARGV[i])
  else
    for _, f in ipairs({fi, fh}) do
      if redis.call('HGET', KEYS[3], f) == ARGV[1] then redis.call('HDEL', KEYS[3], f) end
    end
    table.insert(lost, id)
  end
  redis.call('SREM', KEYS[4], ARGV[i])
end
return lost
"""
)
# A seen story claimed again (a re-extraction): refused (false) if its id is not seen or is held
# by a live run (this one included), or if its hash is seen and not its own (its writer's tag);
# else held like a claim, and its writer ('' where none is recorded) returned.
# KEYS: seen ids, seen hashes, claims, run claims, writers. ARGV: run, prefix, id, scoped hash.
_TAG = """
local function tag(writer)
  return string.sub(writer, string.find(writer, '\\t', 1, true) + 1)
end
"""
CLAIM_AGAIN = (
    _TAG
    + """
local function held(field, run)
  local owner = redis.call('HGET', KEYS[3], field)
  return owner and (owner == run or redis.call('EXISTS', ARGV[2] .. owner .. ':alive') == 1)
end
local fi, fh = 'i:' .. ARGV[3], 'h:' .. ARGV[4]
if redis.call('SISMEMBER', KEYS[1], ARGV[3]) == 0 or held(fi, ARGV[1]) or held(fh, ARGV[1]) then
  return false
end
local writer = redis.call('HGET', KEYS[5], ARGV[3]) or ''
local own = writer == '' or tag(writer) == string.sub(ARGV[4], -16)
if not own and redis.call('SISMEMBER', KEYS[2], ARGV[4]) == 1 then return false end
redis.call('HSET', KEYS[3], fi, ARGV[1], fh, ARGV[1])
redis.call('SADD', KEYS[4], ARGV[3] .. '\\t' .. ARGV[4])
return writer
"""
)
# Commit a run's claims again, fenced like COMMIT. One is kept if its writer is still the one it
# replaces, no other live run holds it, and its hash is its own or seen nowhere: the run becomes
# its writer, and what it replaced is kept in the run's rewritten hash (id -> writer before,
# newline, the hash if this commit added it) until the run is committed, for UNDO; the run's
# replaced hash counts the stories by the run that wrote them before ('' where none is known).
# KEYS: seen hashes, claims, run claims, run, writers, run rewritten, run replaced.
# ARGV: run, prefix, "id\thash\twriter before"…
COMMIT_AGAIN = (
    _TAG
    + """
if redis.call('HGET', KEYS[4], 'state') ~= 'committing' then return redis.error_reply('FENCED') end
local function others(field)
  local owner = redis.call('HGET', KEYS[2], field)
  return owner and owner ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. owner .. ':alive') == 1
end
local lost = {}
for i = 3, #ARGV do
  local a = string.find(ARGV[i], '\\t', 1, true)
  local b = string.find(ARGV[i], '\\t', a + 1, true)
  local id, h = string.sub(ARGV[i], 1, a - 1), string.sub(ARGV[i], a + 1, b - 1)
  local before = string.sub(ARGV[i], b + 1)
  local fi, fh = 'i:' .. id, 'h:' .. h
  local own = before == '' or tag(before) == string.sub(h, -16)
  if (redis.call('HGET', KEYS[5], id) or '') == before and not others(fi) and not others(fh)
    and (own or redis.call('SISMEMBER', KEYS[1], h) == 0) then
    local added = redis.call('SADD', KEYS[1], h)
    redis.call('HSET', KEYS[6], id, before .. '\\n' .. (added == 1 and h or ''))
    redis.call('HSET', KEYS[5], id, ARGV[1] .. '\\t' .. string.sub(h, -16))
    local tab = string.find(before, '\\t', 1, true)
    redis.call('HINCRBY', KEYS[7], tab and string.sub(before, 1, tab - 1) or '', 1)
  else
    table.insert(lost, id)
  end
  for _, f in ipairs({fi, fh}) do
    if redis.call('HGET', KEYS[2], f) == ARGV[1] then redis.call('HDEL', KEYS[2], f) end
  end
  redis.call('SREM', KEYS[3], id .. '\\t' .. h)
end
return lost
"""
)
# KEYS: claims, run claims. ARGV: run, id, scoped hash. Only the run's own claims go.
RELEASE = """
for _, f in ipairs({'i:' .. ARGV[2], 'h:' .. ARGV[3]}) do
  if redis.call('HGET', KEYS[1], f) == ARGV[1] then redis.call('HDEL', KEYS[1], f) end
end
redis.call('SREM', KEYS[2], ARGV[2] .. '\\t' .. ARGV[3])
return 1
"""
# KEYS: run. ARGV: from state, to state. Fenced: only from the state expected.
MOVE = """
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return redis.error_reply('FENCED') end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
return 1
"""
# KEYS: run, alive, names, open. ARGV: file, worker, lease ms, name, run.
BEGIN = """
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('SISMEMBER', KEYS[3], ARGV[4]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'state', 'started', 'file', ARGV[1], 'worker', ARGV[2])
redis.call('SET', KEYS[2], 1, 'PX', ARGV[3])
redis.call('SADD', KEYS[3], ARGV[4])
redis.call('SADD', KEYS[4], ARGV[5])
return 1
"""
# Undo a run that did not commit: its committed chunks leave the seen sets (and their writer
# records), the stories it committed again get their writers back, its claims go.
# KEYS: run, run claims, run committed, seen ids, seen hashes, claims, writers, run rewritten,
# run replaced.
# ARGV: run, new state ('' deletes the run's record: the owner's own roll-back).
UNDO = """
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'committed' or state == 'done' or state == 'listed' then return 0 end
for _, e in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local tab = string.find(e, '\\t', 1, true)
  local id = string.sub(e, 1, tab - 1)
  redis.call('SREM', KEYS[4], id)
  redis.call('SREM', KEYS[5], string.sub(e, tab + 1))
  local writer = redis.call('HGET', KEYS[7], id)
  if writer and string.sub(writer, 1, #ARGV[1] + 1) == ARGV[1] .. '\\t' then
    redis.call('HDEL', KEYS[7], id)
  end
end
local again = redis.call('HGETALL', KEYS[8])
for i = 1, #again, 2 do
  local nl = string.find(again[i + 1], '\\n', 1, true)
  local before, added = string.sub(again[i + 1], 1, nl - 1), string.sub(again[i + 1], nl + 1)
  if before == '' then redis.call('HDEL', KEYS[7], again[i])
  else redis.call('HSET', KEYS[7], again[i], before) end
  if added ~= '' then redis.call('SREM', KEYS[5], added) end
end
for _, e in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local tab = string.find(e, '\\t', 1, true)
  for _, f in ipairs({'i:' .. string.sub(e, 1, tab - 1), 'h:' .. string.sub(e, tab + 1)}) do
    if redis.call('HGET', KEYS[6], f) == ARGV[1] then redis.call('HDEL', KEYS[6], f) end
  end
end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[8], KEYS[9])
if ARGV[2] == '' then redis.call('DEL', KEYS[1])
else redis.call('HSET', KEYS[1], 'state', ARGV[2]) end
return 1
"""

SCRIPTS = {
    "claim": CLAIM, "release": RELEASE, "commit": COMMIT, "move": MOVE, "begin": BEGIN,
    "undo": UNDO, "claim_again": CLAIM_AGAIN, "commit_again": COMMIT_AGAIN,
}  # fmt: skip

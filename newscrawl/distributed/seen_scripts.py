"""The Lua scripts of the Redis seen store (``seen.py``): each one atomic on the server.

Keys and states are described in ``seen.py``. A story is *ownable* by a run when neither set of
seen stories holds it and no other run with a live lease claims it.
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
# KEYS: seen ids, seen hashes, claims, run claims, run committed, run. ARGV: run, prefix, claims…
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
# Undo a run that did not commit: its committed chunks leave the seen sets, its claims go.
# KEYS: run, run claims, run committed, seen ids, seen hashes, claims. ARGV: run, new state
# ('' deletes the run's record: the owner's own roll-back).
UNDO = """
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'committed' or state == 'done' or state == 'listed' then return 0 end
for _, e in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local tab = string.find(e, '\\t', 1, true)
  redis.call('SREM', KEYS[4], string.sub(e, 1, tab - 1))
  redis.call('SREM', KEYS[5], string.sub(e, tab + 1))
end
for _, e in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local tab = string.find(e, '\\t', 1, true)
  for _, f in ipairs({'i:' .. string.sub(e, 1, tab - 1), 'h:' .. string.sub(e, tab + 1)}) do
    if redis.call('HGET', KEYS[6], f) == ARGV[1] then redis.call('HDEL', KEYS[6], f) end
  end
end
redis.call('DEL', KEYS[2], KEYS[3])
if ARGV[2] == '' then redis.call('DEL', KEYS[1])
else redis.call('HSET', KEYS[1], 'state', ARGV[2]) end
return 1
"""

SCRIPTS = {
    "claim": CLAIM, "release": RELEASE, "commit": COMMIT, "move": MOVE, "begin": BEGIN,
    "undo": UNDO,
}  # fmt: skip

"""The Lua scripts of the shared scheduler (``scheduler.py``): each one atomic on the server.

A crawl's keys are ``newscrawl:<spider>:<crawl>:`` + ``requests`` (the queue), ``dupefilter``,
``workers`` (each worker's requests in flight), ``alive:<worker>`` (its lease) and ``done``;
``newscrawl:<spider>:crawl`` names the spider's current crawl.
"""

# Join the crawl that has a live worker, or start ARGV[1]. KEYS[1]: the spider's current crawl
# ('' for a crawl named in the settings). ARGV: crawl, key prefix, worker, lease ms, named?,
# the Redis server's run_id: a crawl begun before Redis restarted is not joined (its workers
# all stopped when it went away, and the requests they held are lost to its queue).
JOIN = """
local crawl = ARGV[1]
local function live(base)
  for _, w in ipairs(redis.call('HKEYS', base .. 'workers')) do
    if redis.call('EXISTS', base .. 'alive:' .. w) == 1 then return true end
  end
  return false
end
if ARGV[5] == '0' then
  local current = redis.call('GET', KEYS[1])
  local same = redis.call('GET', KEYS[1] .. ':redis') == ARGV[6]
  if current and same and live(ARGV[2] .. current .. ':') then crawl = current end
  redis.call('SET', KEYS[1], crawl)
  redis.call('SET', KEYS[1] .. ':redis', ARGV[6])
end
local base = ARGV[2] .. crawl .. ':'
if redis.call('EXISTS', base .. 'done') == 1 then
  redis.call('DEL', base .. 'done', base .. 'requests', base .. 'dupefilter', base .. 'workers')
end
redis.call('HSET', base .. 'workers', ARGV[3], 1)
redis.call('SET', base .. 'alive:' .. ARGV[3], 1, 'PX', ARGV[4])
return crawl
"""

# Heartbeat: this worker is alive with ARGV[2] requests in flight. Returns 1 once done.
# KEYS: requests, dupefilter, workers, done, this worker's alive key. The crawl's keys expire
# a day after its last heartbeat: a crawl whose workers all died leaves nothing for good.
BEAT = """
if redis.call('EXISTS', KEYS[4]) == 1 then return 1 end
redis.call('SET', KEYS[5], 1, 'PX', ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[4]) end
return 0
"""

# This worker ran dry: is the crawl done? KEYS: requests, workers, done, dupefilter, pointer.
# ARGV: worker, alive key prefix, crawl, seconds kept. A worker taken for dead (its lease
# lapsed) that pushes requests after the end drains them itself before it stops.
IDLE = """
if redis.call('EXISTS', KEYS[3]) == 1 and redis.call('ZCARD', KEYS[1]) == 0 then return 1 end
redis.call('HSET', KEYS[2], ARGV[1], 0)
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
local workers = redis.call('HGETALL', KEYS[2])
for i = 1, #workers, 2 do
  if tonumber(workers[i + 1]) > 0 then
    if redis.call('EXISTS', ARGV[2] .. workers[i]) == 1 then return 0 end
    redis.call('HDEL', KEYS[2], workers[i])
  end
end
redis.call('SET', KEYS[3], 1, 'EX', ARGV[4])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[4])
if redis.call('GET', KEYS[5]) == ARGV[3] then redis.call('DEL', KEYS[5]) end
return 1
"""

SCRIPTS = {"join": JOIN, "beat": BEAT, "idle": IDLE}

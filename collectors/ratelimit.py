"""Per-provider rate limits shared by every worker: a token bucket in Redis.

One Lua script refills and takes in one step (Redis runs a script atomically), so two
workers can never both take the last token. Each provider has a bucket of `burst`
tokens refilled at `rate` per second (COLLECTORS_RATE_LIMITS). `take` answers 0 when a
token was taken, else the seconds until one will be there.
"""

import time

from django.conf import settings
from redis import Redis

_TAKE = """
local key = KEYS[1]
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', key, 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', key, math.ceil(burst / rate) + 60)
return tostring(wait)
"""

_redis: Redis | None = None


def redis() -> Redis:
    global _redis
    if _redis is None:
        _redis = Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
            socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
        )
    return _redis


def take(provider: str, *, now: float | None = None) -> float:
    rate, burst = settings.COLLECTORS_RATE_LIMITS[provider]
    key = f"{settings.COLLECTORS_RATE_LIMIT_PREFIX}:{provider}"
    now = time.time() if now is None else now
    return float(redis().eval(_TAKE, 1, key, rate, burst, now))


def acquire(provider: str, *, max_wait: float) -> bool:
    """Wait (up to `max_wait` seconds) for a token; False if none came in time."""
    deadline = time.monotonic() + max_wait
    while True:
        wait = take(provider)
        if wait == 0:
            return True
        if time.monotonic() + wait > deadline:
            return False
        time.sleep(wait)

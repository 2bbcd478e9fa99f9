namespace Wirespeed.Core.Orders;

/// <summary>
/// Order rate limit: a bucket of <c>burst</c> tokens refilled at <c>perSecond</c> tokens a second on the caller's
/// monotonic clock, in integer nano-tokens so there is no rounding drift. One thread (the session thread).
/// </summary>
public struct TokenBucket
{
    private const long NanoPerToken = 1_000_000_000L;
    private readonly long _capacity;       // nano-tokens
    private readonly long _perSecond;      // tokens per second = nano-tokens per ns
    private long _level;
    private long _lastNs;
    private bool _started;

    public TokenBucket(int perSecond, int burst)
    {
        _perSecond = perSecond;
        _capacity = burst * NanoPerToken;
        _level = _capacity;
        _lastNs = 0;
        _started = false;
    }

    /// <summary>Takes one token at monotonic time <paramref name="nowNs"/>; false when the bucket is empty.</summary>
    public bool TryTake(long nowNs)
    {
        if (!_started)
        {
            _started = true;
            _lastNs = nowNs;
        }
        long elapsed = nowNs - _lastNs;
        if (elapsed > 0)
        {
            // Refill saturates long before the product could overflow: cap the elapsed time at one full refill.
            long full = _capacity / _perSecond + 1;
            _level = elapsed >= full ? _capacity : System.Math.Min(_capacity, _level + elapsed * _perSecond);
            _lastNs = nowNs;
        }
        if (_level < NanoPerToken) return false;
        _level -= NanoPerToken;
        return true;
    }
}

using System.Threading.RateLimiting;
using HorizonAI.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Access;

/// <summary>
/// Each scoped key's own budget of admin requests per minute (<c>API_KEY_RATE_LIMIT_PER_MINUTE</c>), so a key that runs
/// out does not stop the others. The per-client limit of the admin surface (<c>ADMIN_RATE_LIMIT_PER_MINUTE</c>) still
/// applies to every request, and is the admin key's only one.
/// </summary>
public sealed class ApiKeyRateLimiter(IOptions<AdminProtectionOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(keyId =>
        RateLimitPartition.GetFixedWindowLimiter(keyId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.RequestsPerKeyPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool TryAcquire(string keyId, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(keyId);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

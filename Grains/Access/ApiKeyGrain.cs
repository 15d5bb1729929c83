using System.Security.Cryptography;
using System.Text;
using HorizonAI.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Access;

/// <summary>
/// One scoped key: the only writer of its row, so its cached copy is current. Only an HKDF-SHA256 hash of each secret
/// is kept (salted with the key id); a rotation keeps the previous hash until its overlap ends. Use is recorded at
/// most once a minute per activation, so a busy key does not write on every request.
/// </summary>
public sealed partial class ApiKeyGrain(IAccessStore store, TimeProvider time, ILogger<ApiKeyGrain> logger) : Grain, IApiKeyGrain
{
    private static readonly TimeSpan UseRecordingInterval = TimeSpan.FromMinutes(1);

    private ApiKeyRecord? _key;
    private DateTimeOffset _usedRecordedAt = DateTimeOffset.MinValue;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _key = await store.GetKeyAsync(Id);

    public async Task<IssuedApiKey?> CreateAsync(ApiKeyRequest request)
    {
        if (_key is not null || !ApiKeyFormat.IsId(Id))
        {
            return null;
        }

        var secret = ApiKeyFormat.NewSecret();
        var key = new ApiKeyRecord(Id, request.Name, request.Role, request.Bots, Hash(Id, secret), Now());
        if (!await store.InsertKeyAsync(key))
        {
            return null;
        }

        _key = key;
        LogCreated(Id, key.Role, string.Join(",", key.Bots));
        return new IssuedApiKey(key.Info(), ApiKeyFormat.Compose(Id, secret));
    }

    public Task<ApiKeyInfo?> GetAsync() => Task.FromResult(_key?.Info());

    public async Task ReloadAsync() => _key = await store.GetKeyAsync(Id);

    public async Task<ApiKeyGrant?> VerifyAsync(string secret)
    {
        if (_key is not { RevokedAt: null } key)
        {
            return null;
        }

        var presented = Hash(Id, secret);
        if (!CryptographicOperations.FixedTimeEquals(presented, key.SecretHash) && !(PreviousValid(key) && CryptographicOperations.FixedTimeEquals(presented, key.PreviousHash)))
        {
            return null;
        }

        await RecordUseAsync();
        return Grant(key, presented);
    }

    public async Task<ApiKeyGrant?> VerifySessionAsync(string sessionToken)
    {
        if (_key is not { RevokedAt: null } key)
        {
            return null;
        }

        var presented = Encoding.ASCII.GetBytes(sessionToken);
        foreach (var hash in PreviousValid(key) ? new[] { key.SecretHash, key.PreviousHash! } : [key.SecretHash])
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(SessionToken(hash))))
            {
                await RecordUseAsync();
                return Grant(key, hash);
            }
        }

        return null;
    }

    public async Task<IssuedApiKey?> RotateAsync(TimeSpan overlap)
    {
        if (_key is not { RevokedAt: null } key)
        {
            return null;
        }

        var now = Now();
        var secret = ApiKeyFormat.NewSecret();
        var rotated = key with
        {
            SecretHash = Hash(Id, secret),
            PreviousHash = overlap > TimeSpan.Zero ? key.SecretHash : null,
            PreviousExpiresAt = overlap > TimeSpan.Zero ? now + overlap : null,
            RotatedAt = now,
        };
        await store.UpdateKeyAsync(rotated);
        _key = rotated;
        LogRotated(Id, overlap.TotalMinutes);
        return new IssuedApiKey(rotated.Info(), ApiKeyFormat.Compose(Id, secret));
    }

    public async Task<ApiKeyInfo?> RevokeAsync()
    {
        if (_key is not { } key)
        {
            return null;
        }

        if (key.RevokedAt is null)
        {
            var revoked = key with { RevokedAt = Now(), PreviousHash = null, PreviousExpiresAt = null };
            await store.UpdateKeyAsync(revoked);
            _key = revoked;
            LogRevoked(Id);
        }

        return _key.Info();
    }

    /// <summary>HKDF-SHA256 of the secret, salted with the key id: a standard KDF, fast for a 256-bit random secret.</summary>
    public static byte[] Hash(string id, string secret) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, Encoding.UTF8.GetBytes(id), "horizonai-api-key"u8.ToArray());

    /// <summary>The console session value of a key: derived from the stored hash, so it is never the secret.</summary>
    public static string SessionToken(byte[] hash) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(hash, "horizonai-console-session"u8));

    private bool PreviousValid(ApiKeyRecord key) => key.PreviousHash is not null && key.PreviousExpiresAt > Now();

    private async Task RecordUseAsync()
    {
        var now = Now();
        _key = _key! with { LastUsedAt = now };
        if (now - _usedRecordedAt >= UseRecordingInterval)
        {
            _usedRecordedAt = now;
            await store.TouchKeyAsync(Id, now);
        }
    }

    private ApiKeyGrant Grant(ApiKeyRecord key, byte[] hash) =>
        new(key.Id, key.Name, key.Role, key.Bots) { SessionToken = SessionToken(hash) };


    private DateTimeOffset Now() => HorizonAI.Storage.PostgresTime.Now(time);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "API key {KeyId} created: {Role} on {Bots}")]
    private partial void LogCreated(string keyId, string role, string bots);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "API key {KeyId} rotated; the previous secret works for {OverlapMinutes} more minutes")]
    private partial void LogRotated(string keyId, double overlapMinutes);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "API key {KeyId} revoked")]
    private partial void LogRevoked(string keyId);
}

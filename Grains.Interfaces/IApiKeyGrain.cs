namespace HorizonAI.Grains.Interfaces;

/// <summary>One scoped API key, keyed by its id (the part of the key before its secret).</summary>
[Alias("horizonai.api-key")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Creates the key with a fresh secret; null if the id is taken.</summary>
    [Alias("create")]
    Task<IssuedApiKey?> CreateAsync(ApiKeyRequest request);

    [Alias("get")]
    Task<ApiKeyInfo?> GetAsync();

    /// <summary>What the secret grants, or null (unknown, revoked, wrong or expired secret). Records the key's use.</summary>
    [Alias("verify")]
    Task<ApiKeyGrant?> VerifyAsync(string secret);

    /// <summary>What a console session of this key grants, or null.</summary>
    [Alias("verify-session")]
    Task<ApiKeyGrant?> VerifySessionAsync(string sessionToken);

    /// <summary>A new secret; the old one keeps working for <paramref name="overlap"/> (zero: not at all). Null if unknown or revoked.</summary>
    [Alias("rotate")]
    Task<IssuedApiKey?> RotateAsync(TimeSpan overlap);

    /// <summary>Revokes the key at once; null if it does not exist. Revoking again keeps the first time.</summary>
    [Alias("revoke")]
    Task<ApiKeyInfo?> RevokeAsync();

    /// <summary>Reads the key's row again (its scope changed: a bot it had was deleted).</summary>
    [Alias("reload")]
    Task ReloadAsync();
}

/// <summary>Lists the scoped keys (a stateless worker over the table).</summary>
[Alias("horizonai.api-keys")]
public interface IApiKeyDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("list")]
    Task<ApiKeyInfo[]> ListAsync();
}

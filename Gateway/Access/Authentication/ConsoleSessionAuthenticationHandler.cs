using System.Globalization;
using System.Text.Encodings.Web;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Access.Authentication;

/// <summary>
/// The console's session cookie, set by its sign-in. The admin key's session is a value derived from the key; a
/// scoped key's is <c>k.&lt;key id&gt;.&lt;expiry&gt;.&lt;token&gt;.&lt;signature&gt;</c>: the key's token (which ends with a
/// rotation or revocation), until when it holds, signed with a key of the Gateway's own, so that it cannot be made
/// from what the <c>api_keys</c> table stores.
/// </summary>
public sealed class ConsoleSessionAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AdminCredentialHandler(options, logger, encoder)
{
    private const string ScopedSessionPrefix = "k.";

    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    protected override async Task<AuthenticateResult> AuthenticateCredentialsAsync()
    {
        if (!Request.Cookies.TryGetValue(AdminSchemes.SessionCookie, out var session))
        {
            return AuthenticateResult.NoResult();
        }

        if (Key.MatchesSession(session))
        {
            return Success(AccessPrincipal.Admin);
        }

        return TryParseScopedSession(session, out var keyId, out var token)
            && await Cluster.GetGrain<IApiKeyGrain>(keyId).VerifySessionAsync(token) is { } grant
            ? Success(Scoped(grant))
            : AuthenticateResult.Fail("not a valid session");
    }

    /// <summary>The session cookie's value for a scoped key that signed in now.</summary>
    public static string ScopedSession(HttpContext context, AdminKey key, ApiKeyGrant grant)
    {
        var expires = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().Add(SessionLifetime).ToUnixTimeSeconds()
            .ToString(CultureInfo.InvariantCulture);
        var payload = $"{grant.KeyId}.{expires}.{grant.SessionToken}";
        return $"{ScopedSessionPrefix}{payload}.{key.SignSession(payload)}";
    }

    private bool TryParseScopedSession(string session, out string keyId, out string token)
    {
        keyId = token = "";
        if (!session.StartsWith(ScopedSessionPrefix, StringComparison.Ordinal) || session.Split('.') is not [_, var id, var expires, var value, var signature]
            || !ApiKeyFormat.IsId(id) || value.Length != 64 || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var until)
            || until < Context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds()
            || !Key.SessionSignatureMatches($"{id}.{expires}.{value}", signature))
        {
            return false;
        }

        (keyId, token) = (id, value);
        return true;
    }
}

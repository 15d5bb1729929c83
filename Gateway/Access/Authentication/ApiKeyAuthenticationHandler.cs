using System.Text.Encodings.Web;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Access.Authentication;

/// <summary>A scoped key (<c>hzk_&lt;id&gt;_&lt;secret&gt;</c>) as a bearer token: its bots, its role, checked by the key's grain.</summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AdminCredentialHandler(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> AuthenticateCredentialsAsync()
    {
        if (AdminSchemes.BearerToken(Request) is not { } bearer)
        {
            return AuthenticateResult.NoResult();
        }

        return ApiKeyFormat.TryParse(bearer, out var id, out var secret) && await Cluster.GetGrain<IApiKeyGrain>(id).VerifyAsync(secret) is { } grant
            ? Success(Scoped(grant))
            : AuthenticateResult.Fail("not a valid key");
    }
}

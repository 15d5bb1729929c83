using System.Text.Encodings.Web;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Access.Authentication;

/// <summary>
/// The console's session cookie, set by its sign-in (<see cref="ConsoleSession"/>): signed by the Gateway, unexpired,
/// not signed out on any Gateway (<see cref="ConsoleSessionRevocations"/>, looked up on every request), and for a
/// scoped key, the key's session token still current.
/// </summary>
public sealed class ConsoleSessionAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AdminCredentialHandler(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> AuthenticateCredentialsAsync()
    {
        if (!Request.Cookies.TryGetValue(AdminSchemes.SessionCookie, out var cookie))
        {
            return AuthenticateResult.NoResult();
        }

        var now = Context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!ConsoleSession.TryRead(cookie, Key, now, out var session))
        {
            return AuthenticateResult.Fail("not a valid session");
        }

        if (await Context.RequestServices.GetRequiredService<ConsoleSessionRevocations>().IsRevokedAsync(session.Id))
        {
            return AuthenticateResult.Fail("signed out");
        }

        if (session.KeyId is null)
        {
            return Success(AccessPrincipal.Admin);
        }

        return await Cluster.GetGrain<IApiKeyGrain>(session.KeyId).VerifySessionAsync(session.KeyToken!) is { } grant
            ? Success(Scoped(grant))
            : AuthenticateResult.Fail("not a valid session");
    }
}

using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Access.Authentication;

/// <summary>The admin key as a bearer token (every bot, every route), compared in constant time.</summary>
public sealed class AdminKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AdminCredentialHandler(options, logger, encoder)
{
    protected override Task<AuthenticateResult> AuthenticateCredentialsAsync() =>
        Task.FromResult(AdminSchemes.BearerToken(Request) is not { } bearer ? AuthenticateResult.NoResult()
            : Key.Matches(bearer) ? Success(AccessPrincipal.Admin)
            : AuthenticateResult.Fail("not a valid key"));
}

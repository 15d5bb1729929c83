using System.Security.Claims;
using System.Text.Encodings.Web;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Access.Authentication;

/// <summary>
/// What the admin surface's schemes share: a client shut out after too many failed attempts is refused before its
/// credentials are even read (429, whether or not they are right), and a challenge counts as a failed attempt and
/// answers 401 as an RFC 7807 problem.
/// </summary>
public abstract class AdminCredentialHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string LockedOutKey = "horizonai.locked-out";

    protected AuthFailureThrottle Throttle => Context.RequestServices.GetRequiredService<AuthFailureThrottle>();

    protected sealed override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Throttle.IsBlocked(Context, out var retryAfter))
        {
            Context.Items[LockedOutKey] = retryAfter;
            return AuthenticateResult.Fail("too many failed attempts");
        }

        return await AuthenticateCredentialsAsync();
    }

    /// <summary>The principal of the presented credentials, <see cref="AuthenticateResult.NoResult"/> or a failure.</summary>
    protected abstract Task<AuthenticateResult> AuthenticateCredentialsAsync();

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        if (Context.Items[LockedOutKey] is TimeSpan retryAfter)
        {
            await TooManyFailures(Context, retryAfter).ExecuteAsync(Context);
            return;
        }

        Throttle.RecordFailure(Context);
        await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid API key is required (Authorization: Bearer <key>)")
            .ExecuteAsync(Context);
    }

    public static IResult TooManyFailures(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed authentication attempts; try again later");
    }

    protected AuthenticateResult Success(AccessPrincipal principal)
    {
        var claims = new List<Claim>
        {
            new(AdminSchemes.KeyIdClaim, principal.KeyId),
            new(AdminSchemes.NameClaim, principal.Name),
            new(AdminSchemes.RoleClaim, principal.Role),
        };
        claims.AddRange((principal.Bots ?? new HashSet<string>()).Select(bot => new Claim(AdminSchemes.BotClaim, bot)));
        var identity = new ClaimsIdentity(claims, Scheme.Name, AdminSchemes.NameClaim, AdminSchemes.RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected IClusterClient Cluster => Context.RequestServices.GetRequiredService<IClusterClient>();

    protected AdminKey Key => Context.RequestServices.GetRequiredService<AdminKey>();

    protected static AccessPrincipal Scoped(ApiKeyGrant grant) => AccessPrincipal.From(grant);
}

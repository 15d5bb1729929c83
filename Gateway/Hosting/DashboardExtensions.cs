using HorizonAI.Gateway.Access;
using HorizonAI.Gateway.Access.Authentication;
using Microsoft.AspNetCore.Authentication;
using Orleans.Dashboard;

namespace HorizonAI.Gateway.Hosting;

public static class DashboardExtensions
{
    public const string Path = "/dashboard";

    /// <summary>
    /// Serves the Orleans Dashboard on the Gateway's own port, only to holders of the admin key (bearer header or the
    /// console's session cookie). A browser without it is sent to the console's sign-in page; anything else gets 401.
    /// </summary>
    public static WebApplication MapProtectedDashboard(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<AdminKey>().Enabled)
        {
            return app;
        }

        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
        {
            // A browser that shows nothing yet is sent to sign in; a presented key or session goes through the same
            // check, failure count and lock-out as the admin API.
            var wantsPage = context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
            void SignInFirst() => context.Response.Redirect("/console/?next=" + Uri.EscapeDataString(Path));
            if (wantsPage && !AdminSchemes.PresentsCredentials(context))
            {
                SignInFirst();
                return;
            }

            var authenticated = await context.AuthenticateAsync(AdminSchemes.Any);
            if (!authenticated.Succeeded)
            {
                var throttle = context.RequestServices.GetRequiredService<AuthFailureThrottle>();
                if (wantsPage && !throttle.IsBlocked(context, out _))
                {
                    throttle.RecordFailure(context);
                    SignInFirst();
                    return;
                }

                await context.ChallengeAsync(AdminSchemes.Any); // 401 (a failed attempt) or 429 while locked out
                return;
            }

            if (!(AccessPrincipal.FromClaims(authenticated.Principal!)?.IsAdmin ?? false))
            {
                await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the admin key opens this").ExecuteAsync(context);
                return;
            }

            await next(context);
        }));
        app.MapOrleansDashboard(Path);
        return app;
    }
}

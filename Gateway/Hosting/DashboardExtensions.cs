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
            if (AdminAuthorization.IsAdmin(context))
            {
                await next(context);
                return;
            }

            var wantsPage = context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
            if (wantsPage)
            {
                context.Response.Redirect("/console/?next=" + Uri.EscapeDataString(Path));
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { status = 401, title = "A valid admin API key is required (Authorization: Bearer <ADMIN_API_KEY>)" });
        }));
        app.MapOrleansDashboard(Path);
        return app;
    }
}

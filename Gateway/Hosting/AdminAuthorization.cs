namespace HorizonAI.Gateway.Hosting;

/// <summary>Requires <c>Authorization: Bearer &lt;ADMIN_API_KEY&gt;</c> on every route of a group.</summary>
public static class AdminAuthorization
{
    public static RouteGroupBuilder RequireAdminKey(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var key = context.HttpContext.RequestServices.GetRequiredService<AdminKey>();
            return key.Matches(BearerToken(context.HttpContext.Request))
                ? await next(context)
                : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid admin API key is required (Authorization: Bearer <ADMIN_API_KEY>)");
        });
        return group;
    }

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
    }
}

using HorizonAI.Gateway.Access.Authorization;
using HorizonAI.Gateway.Hosting;

namespace HorizonAI.Gateway.Console;

/// <summary>
/// The console's own API under <c>/console/api</c>, behind the admin key (bearer header or the session cookie). The
/// console otherwise uses the admin API itself (<c>/bots…</c>) and <c>/health/ready</c>.
/// </summary>
public static class ConsoleEndpoints
{
    public static RouteGroupBuilder MapConsole(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/console/api").WithTags("Console").RequireAdminAccess();
        group.MapSimulator();
        return group;
    }
}

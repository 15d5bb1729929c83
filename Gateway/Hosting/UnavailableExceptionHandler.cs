using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace HorizonAI.Gateway.Hosting;

/// <summary>
/// An admin or console request that meets an unavailable cluster or database (a silo just died, PostgreSQL
/// restarting, a grain call timing out) gets <c>503</c> with <c>Retry-After</c>, not <c>500</c>: it can be tried
/// again. The webhooks retry such faults themselves within their budget (<c>WebhookStore</c>).
/// </summary>
public sealed partial class UnavailableExceptionHandler(IProblemDetailsService problems, ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (OrleansException or TimeoutException or DbException))
        {
            return false;
        }

        LogUnavailable(logger, context.Request.Method, context.Request.Path, exception.GetType().Name);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = "The cluster or the database is unavailable for the moment; try again" },
        });
    }

    [LoggerMessage(EventId = 3120, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the cluster or the database is unavailable ({Exception})")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string exception);
}

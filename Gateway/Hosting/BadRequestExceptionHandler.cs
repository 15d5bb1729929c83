using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace HorizonAI.Gateway.Hosting;

/// <summary>
/// A request the framework cannot bind (a query value of the wrong type, such as <c>?offset=abc</c>; a body of another
/// content type) gets its status (400, 415) with a problem that names the parameter and says what it must be, not an
/// empty answer. Request bodies are read and named field by field by the typed documents (<c>Infrastructure/JsonBody</c>).
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        context.Response.StatusCode = bad.StatusCode;
        var detail = BindFailure().Match(bad.Message) is { Success: true } failed
            ? $"{failed.Groups["name"].Value} must be {Expected(failed.Groups["type"].Value)}; \"{failed.Groups["value"].Value}\" is not"
            : bad.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = bad.StatusCode, Title = bad.StatusCode == StatusCodes.Status415UnsupportedMediaType ? "Send the body as application/json" : "The request is not valid", Detail = detail },
        });
    }

    private static string Expected(string type) => Unwrapped(type) switch
    {
        "int" or "long" or "Int32" or "Int64" => "a whole number",
        "bool" or "Boolean" => "true or false",
        "DateOnly" => "a date (YYYY-MM-DD)",
        "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601)",
        var other => "a " + other,
    };

    /// <summary>The type the framework names, without its nullable wrapping (<c>int?</c>, <c>Nullable&lt;int&gt;</c>).</summary>
    private static string Unwrapped(string type) =>
        type.StartsWith("Nullable<", StringComparison.Ordinal) && type.EndsWith('>') ? type["Nullable<".Length..^1] : type.TrimEnd('?');

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[\w\.\?<>]+) (?<name>\w+)" from "(?<value>.*)"\.$""")]
    private static partial Regex BindFailure();
}

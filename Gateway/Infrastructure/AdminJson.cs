using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Infrastructure;

/// <summary>Reads admin API bodies so that every malformed input becomes a 400 that says what is wrong.</summary>
public static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        MaxDepth = 16,
    };

    public static async Task<(T? Value, ValidationProblem? Error)> ReadAsync<T>(HttpRequest request)
    {
        if (!(request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return (default, AdminProblems.Invalid("body", "Content-Type must be application/json"));
        }

        // Kestrel enforces the endpoint's limit while reading; a declared length over it is refused before reading at all.
        var limit = request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        if (limit is not null && request.ContentLength > limit)
        {
            return (default, AdminProblems.Invalid("body", $"The body is too large (at most {limit / (1024 * 1024)} MiB)"));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted);
            return value is null ? (default, AdminProblems.Invalid("body", "A JSON body is required")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (default, AdminProblems.Invalid(FieldOf(ex), Describe(ex)));
        }
        catch (BadHttpRequestException ex)
        {
            return (default, AdminProblems.Invalid("body", ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The body is too large" : "The body could not be read"));
        }
    }

    public static string Describe(JsonException exception) =>
        IsSyntaxError(exception)
            ? $"the body is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1})"
            : exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"unknown field {PathOf(exception)}"
                : PathOf(exception) is { Length: > 0 } path
                    ? $"{path} has the wrong type or is malformed"
                    : "the body is not a JSON value of the expected shape";

    /// <summary>The top-level field a problem belongs to, so clients can map it to one input.</summary>
    private static string FieldOf(JsonException exception) =>
        IsSyntaxError(exception) || PathOf(exception) is not { Length: > 0 } path
            ? "body"
            : path.Split('.', '[')[0];

    // Syntax errors come from the reader (an inner JsonException); type errors come from the converters.
    private static bool IsSyntaxError(JsonException exception) => exception.InnerException is JsonException;

    private static string PathOf(JsonException exception) => exception.Path?.TrimStart('$', '.') ?? "";
}

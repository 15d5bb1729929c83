using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace HorizonAI.Gateway.Infrastructure;

/// <summary>
/// Binds an admin request's JSON body to its request document (the document's <c>BindAsync</c> calls this). Binding
/// never fails the request by itself: what makes a body unreadable (not JSON, too large, an unknown field, a value of
/// the wrong type) is kept with the request, named by its JSON path, and <see cref="RequestValidationFilter"/> answers
/// it as a 400 problem before the handler runs, after the route's own checks, so that the refusal is audited as any
/// other answer. The handler only ever receives a document that was read and validated.
/// </summary>
public static class JsonBody
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        MaxDepth = 16,
    };

    /// <summary>The request's body as <typeparamref name="T"/>; an empty stand-in when it could not be read (see the class).</summary>
    public static async ValueTask<T> ReadAsync<T>(HttpContext context)
        where T : class, new()
    {
        var (document, errors) = await TryReadAsync<T>(context);
        context.Features.Set(new Bound(document, errors));
        return document ?? new T();
    }

    /// <summary>As <see cref="ReadAsync{T}"/>, for a body that may be left out: null without one.</summary>
    public static async ValueTask<T?> ReadOptionalAsync<T>(HttpContext context)
        where T : class, new()
    {
        var request = context.Request;
        return request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0 ? null : await ReadAsync<T>(context);
    }

    /// <summary>The document that binding read from this request, when it read one.</summary>
    public static object? DocumentOf(HttpContext context) => context.Features.Get<Bound>()?.Document;

    /// <summary>Why this request's body could not be read, by field; null when it was (or there was none).</summary>
    public static Dictionary<string, string[]>? ErrorsOf(HttpContext context) => context.Features.Get<Bound>()?.Errors;

    /// <summary>One element of a larger body (an entry of a backup) as <typeparamref name="T"/>, or why it is not one.</summary>
    public static T? Deserialize<T>(JsonElement element, string documentName, out string? problem)
        where T : class
    {
        try
        {
            problem = null;
            return element.Deserialize<T>(Options);
        }
        catch (JsonException ex)
        {
            problem = JsonFieldPath.Describe(typeof(T), ex, Options, documentName).Message;
            return null;
        }
    }

    private static async ValueTask<(T? Document, Dictionary<string, string[]>? Errors)> TryReadAsync<T>(HttpContext context)
        where T : class
    {
        var request = context.Request;
        if (!(request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return (null, Problem(JsonFieldPath.Body, "Content-Type must be application/json"));
        }

        // Kestrel enforces the endpoint's limit while reading; a declared length over it is refused before reading at all.
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        if (limit is not null && request.ContentLength > limit)
        {
            return (null, Problem(JsonFieldPath.Body, $"The body is too large (at most {limit / (1024 * 1024)} MiB)"));
        }

        if (request.ContentLength == 0)
        {
            return (null, Problem(JsonFieldPath.Body, "A JSON body is required"));
        }

        try
        {
            var document = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, context.RequestAborted);
            return document is null ? (null, Problem(JsonFieldPath.Body, "A JSON body is required")) : (document, null);
        }
        catch (JsonException ex)
        {
            var (field, message) = JsonFieldPath.Describe(typeof(T), ex, Options);
            return (null, Problem(field, message));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, Problem(JsonFieldPath.Body, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The body is too large" : "The body could not be read"));
        }
    }

    private static Dictionary<string, string[]> Problem(string field, string message) => new() { [field] = [message] };

    private sealed record Bound(object? Document, Dictionary<string, string[]>? Errors);
}

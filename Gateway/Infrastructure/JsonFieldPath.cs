using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HorizonAI.Gateway.Infrastructure;

/// <summary>
/// Names a place in a request document as its JSON spells it (<c>templates[0].content_sid</c>), whether it comes from
/// System.Text.Json's path of a reading error (<c>$.templates[0].content_sid</c>) or from the C# path of a validation
/// error (<c>Templates[0].ContentSid</c>), so that every problem names what the client sent. The entries of an object
/// of free keys (such as <c>metadata</c>) belong to that field: they are not fields of their own.
/// </summary>
public static class JsonFieldPath
{
    /// <summary>The field a problem with the whole document is reported under.</summary>
    public const string Body = "body";

    /// <summary>The JSON path of a validation error's key; an empty key is the document itself (<see cref="Body"/>).</summary>
    public static string Of(Type document, string memberPath, JsonSerializerOptions options) =>
        Walk(document, memberPath, options, memberNames: true).Path is { Length: > 0 } path ? path : Body;

    /// <summary>The field of a JSON reading error and a sentence saying what is wrong with it.</summary>
    public static (string Field, string Message) Describe(Type document, JsonException exception, JsonSerializerOptions options, string documentName = Body)
    {
        // Syntax errors come from the reader (an inner JsonException); shape errors come from the converters.
        if (exception.InnerException is JsonException)
        {
            return (Body, $"the body is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1})");
        }

        var (path, info, unknown) = Walk(document, exception.Path ?? "", options, memberNames: false);
        if (path.Length == 0)
        {
            return (Body, $"the {documentName} must be {Expected(options.GetTypeInfo(document))}");
        }

        // A string the reader cannot turn into text (a lone surrogate escape, bytes that are not UTF-8) is no type error.
        if (exception.InnerException is InvalidOperationException { Message: var reason } && reason.Contains("UTF", StringComparison.Ordinal))
        {
            return (path, $"{path} contains a NUL character or invalid UTF-16");
        }

        return (path, unknown ? $"unknown field {path}" : info is null ? $"{path} has the wrong type or is malformed" : $"{path} must be {Expected(info)}");
    }

    /// <summary>
    /// Follows <paramref name="path"/> through the document's JSON contract: its JSON spelling, the contract where it
    /// ends, and whether it ends at a field the document does not have. C# member names are matched only for
    /// validation keys (<paramref name="memberNames"/>); in what a client sent, only the JSON names are fields.
    /// </summary>
    private static (string Path, JsonTypeInfo? Info, bool Unknown) Walk(Type document, string path, JsonSerializerOptions options, bool memberNames)
    {
        var info = options.GetTypeInfo(document);
        var result = new StringBuilder();
        foreach (var segment in Segments(path))
        {
            switch (info.Kind, segment)
            {
                case (JsonTypeInfoKind.Object, { Name: { } name }):
                    var property = info.Properties.FirstOrDefault(p => p.Name == name || (memberNames && (p.AttributeProvider as MemberInfo)?.Name == name));
                    result.Append(result.Length > 0 ? "." : "").Append(property?.Name ?? name);
                    if (property is null)
                    {
                        return (result.ToString(), null, true);
                    }

                    info = options.GetTypeInfo(property.PropertyType);
                    break;
                case (JsonTypeInfoKind.Enumerable, { Index: { } index }):
                    result.Append('[').Append(index).Append(']');
                    info = options.GetTypeInfo(info.ElementType!);
                    break;
                default:
                    // An entry of an object of free keys, or a path that does not fit the type: the field so far is the one.
                    return (result.ToString(), info, false);
            }
        }

        return (result.ToString(), info, false);
    }

    /// <summary>What a JSON value must be to fit <paramref name="info"/>, as a client would put it.</summary>
    private static string Expected(JsonTypeInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => "a JSON object",
            JsonTypeInfoKind.Dictionary => info.ElementType == typeof(string) ? "an object of string values" : "a JSON object",
            JsonTypeInfoKind.Enumerable => info.ElementType == typeof(string) ? "an array of strings" : "an array",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) || type == typeof(decimal) => "a number",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date and time such as 2026-11-26T10:00:00Z",
            _ => "a value of another kind",
        };
    }

    private readonly record struct Segment(string? Name, int? Index);

    /// <summary>The steps of <c>$.a.b[2]['c d']</c> or <c>A.B[2]</c>.</summary>
    private static IEnumerable<Segment> Segments(string path)
    {
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                yield return new Segment(path[(i + 2)..end], null);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                yield return int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index) ? new Segment(null, index) : new Segment(path[(i + 1)..end], null);
                i = end + 1;
            }
            else
            {
                var end = path.IndexOfAny(['.', '['], i);
                end = end < 0 ? path.Length : end;
                yield return new Segment(path[i..end], null);
                i = end;
            }
        }
    }
}

using Microsoft.AspNetCore.Http.Features;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>Reads a Twilio form post, turning every way it can be malformed into a 4xx with a reason.</summary>
public static class WebhookForms
{
    public sealed record Rejection(string Reason, IResult Result);

    public static async Task<(IFormCollection? Form, Rejection? Rejection)> ReadAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        if (!request.HasFormContentType)
        {
            return (null, new Rejection("unsupported_media_type", TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Expected application/x-www-form-urlencoded")));
        }

        try
        {
            var form = await request.ReadFormAsync(new FormOptions { ValueLengthLimit = maxBytes, KeyLengthLimit = 1024, ValueCountLimit = 256 }, context.RequestAborted);
            return (form, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes));
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or System.Text.DecoderFallbackException)
        {
            return (null, new Rejection("malformed_form", TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest, title: "The form body could not be read")));
        }
    }

    private static Rejection TooLarge(int maxBytes) => new("too_large", TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: $"The body is larger than {maxBytes / 1024} KiB"));
}

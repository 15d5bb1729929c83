using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Webhooks;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Outbound;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Tools;

/// <summary>
/// Calls a function tool of a business: <c>POST</c> of <c>{"tool", "arguments", "call_id", "bot", "user",
/// "profile_name"}</c>, signed with the bot's tools secret, with the call's recorded <c>Idempotency-Key</c> on every
/// attempt. An attempt that cannot connect, or is answered 429, 502, 503 or 504, is tried again after a backoff while
/// the call's deadline allows; the answer of a 2xx (JSON or text, within <see cref="ToolOptions.MaxOutputBytes"/>) is
/// the output, and anything else an <c>{"error": …}</c> the model can answer the user with.
/// </summary>
public sealed class FunctionToolCaller(IHttpClientFactory clients, IOptions<ToolOptions> options, TimeProvider time)
{
    public const string HttpClientName = "business-tools";
    public const string IdempotencyHeader = "Idempotency-Key";
    private const int MaxAttempts = 3;

    public async Task<ToolResult> CallAsync(BotDefinition bot, FunctionTool tool, RecordedCall call, ToolCaller caller, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var body = Body(bot, tool, call, caller);
        var started = time.GetTimestamp();
        var attempts = 0;
        var timeout = TimeSpan.FromMilliseconds(Math.Min(tool.TimeoutMs ?? FunctionTool.DefaultTimeoutMs, deadline.TotalMilliseconds));
        while (true)
        {
            attempts++;
            var left = timeout - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return ToolResult.TimedOut(attempts - 1, timeout);
            }

            string failure;
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(left);
            try
            {
                using var request = Request(bot, tool, call, body);
                using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
                if (response.IsSuccessStatusCode)
                {
                    return await OutputAsync(response, attempts, attempt.Token);
                }

                failure = $"the tool answered HTTP {(int)response.StatusCode}";
                var passing = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
                if (!passing)
                {
                    return ToolResult.Failed(attempts, failure);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ToolResult.TimedOut(attempts, timeout);
            }
            catch (HttpRequestException refused) when (IsRefusedAddress(refused))
            {
                return ToolResult.Failed(attempts, "the tool is at an address that is not allowed: " + RefusalOf(refused));
            }
            catch (HttpRequestException unreachable)
            {
                failure = "the tool could not be reached" + (unreachable.HttpRequestError == HttpRequestError.Unknown ? "" : $" ({unreachable.HttpRequestError})");
            }

            // 250 ms, then 1 s: a blip passes, a business that is down does not hold the turn for long. With no time
            // left for another attempt, the model is told what the last one met.
            var backoff = TimeSpan.FromMilliseconds(250 * Math.Pow(4, attempts - 1));
            if (attempts == MaxAttempts || backoff >= timeout - time.GetElapsedTime(started))
            {
                return ToolResult.Failed(attempts, failure);
            }

            await Task.Delay(backoff, time, cancellationToken);
        }
    }

    private static byte[] Body(BotDefinition bot, FunctionTool tool, RecordedCall call, ToolCaller caller)
    {
        JsonNode? arguments;
        try
        {
            arguments = JsonNode.Parse(call.Arguments.Length == 0 ? "{}" : call.Arguments);
        }
        catch (JsonException)
        {
            // The model's arguments are not JSON: the business gets them as the model wrote them.
            arguments = JsonValue.Create(call.Arguments);
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["tool"] = tool.Name,
            ["arguments"] = arguments,
            ["call_id"] = call.CallId,
            ["bot"] = bot.PhoneNumber,
            ["user"] = caller.UserNumber,
            ["profile_name"] = caller.ProfileName,
        });
    }

    private HttpRequestMessage Request(BotDefinition bot, FunctionTool tool, RecordedCall call, byte[] body)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, tool.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.HeaderValue(bot.ToolsSecret ?? "", timestamp, body));
        request.Headers.Add(IdempotencyHeader, call.IdempotencyKey);
        return request;
    }

    /// <summary>The answer's body as the model's output: JSON as it is, text as a JSON string; too large or not what it says, an error.</summary>
    private async Task<ToolResult> OutputAsync(HttpResponseMessage response, int attempts, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxOutputBytes;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[limit + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        if (read > limit)
        {
            return ToolResult.Failed(attempts, $"the tool answered more than {limit} bytes");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, read);
        }
        catch (DecoderFallbackException)
        {
            return ToolResult.Failed(attempts, "the tool answered something that is not text");
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var _ = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                return ToolResult.Failed(attempts, "the tool answered invalid JSON");
            }

            return ToolResult.Ok(attempts, text);
        }

        return ToolResult.Ok(attempts, JsonSerializer.Serialize(text));
    }

    private static bool IsRefusedAddress(HttpRequestException exception) => exception.InnerException is OutboundUrlRefusedException;

    private static string RefusalOf(HttpRequestException exception) => exception.InnerException!.Message;
}

/// <summary>The end user on whose behalf a tool is called.</summary>
public sealed record ToolCaller(string UserNumber, string? ProfileName);

/// <summary>How one call ended and what the model is given for it (always JSON).</summary>
public sealed record ToolResult(string Status, string Output, int Attempts)
{
    public static ToolResult Ok(int attempts, string output) => new(ToolCallStatus.Ok, output, attempts);

    public static ToolResult Failed(int attempts, string error) => new(ToolCallStatus.Error, Error(error), attempts);

    public static ToolResult TimedOut(int attempts, TimeSpan timeout) =>
        new(ToolCallStatus.Timeout, Error($"the tool did not answer within {timeout.TotalMilliseconds:F0} ms"), attempts);

    public static string Error(string what) => JsonSerializer.Serialize(new { error = what });
}

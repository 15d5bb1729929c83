namespace HorizonAI.Sandbox;

/// <summary>A message the sandbox accepted on <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c> (answered 201).</summary>
/// <param name="Sid">The <c>SM…</c> id returned to the caller.</param>
/// <param name="AccountSid">The account in the request path.</param>
/// <param name="From">Form field <c>From</c>, e.g. <c>whatsapp:+15550000000</c>.</param>
/// <param name="To">Form field <c>To</c>.</param>
/// <param name="Body">Form field <c>Body</c> (empty when only media was sent).</param>
/// <param name="StatusCallback">Form field <c>StatusCallback</c>, if any.</param>
/// <param name="ReceivedAt">When the sandbox accepted it (after any injected latency).</param>
public sealed record SentMessage(
    string Sid,
    string AccountSid,
    string From,
    string To,
    string Body,
    string? StatusCallback,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Every <c>MediaUrl</c> form field, in order.</summary>
    public IReadOnlyList<string> MediaUrls { get; init; } = [];

    /// <summary>Form field <c>ContentSid</c>: an approved template sent instead of a body.</summary>
    public string? ContentSid { get; init; }

    /// <summary>Form field <c>ContentVariables</c>, a JSON object string.</summary>
    public string? ContentVariables { get; init; }
}

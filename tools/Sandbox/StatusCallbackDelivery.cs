namespace HorizonAI.Sandbox;

/// <summary>One status callback the sandbox posted (see <see cref="SandboxState.SendStatusCallbacks"/>).</summary>
/// <param name="MessageSid">The message the callback is about.</param>
/// <param name="Url">Where it was posted (the message's <c>StatusCallback</c>).</param>
/// <param name="MessageStatus"><c>sent</c>, <c>delivered</c> or <c>failed</c>.</param>
/// <param name="ResponseStatusCode">The HTTP status the receiver answered; null when it could not be reached.</param>
/// <param name="Error">Why the post failed, when it did not reach the receiver.</param>
/// <param name="PostedAt">When the post was made.</param>
public sealed record StatusCallbackDelivery(
    string MessageSid,
    string Url,
    string MessageStatus,
    int? ResponseStatusCode,
    string? Error,
    DateTimeOffset PostedAt);

namespace HorizonAI.Sandbox.Business;

/// <summary>A function-tool call the demo business received.</summary>
/// <param name="Path">The request path, e.g. <c>/demo/restaurant/book_table</c>.</param>
/// <param name="Tool">The body's <c>tool</c>.</param>
/// <param name="CallId">The body's <c>call_id</c>.</param>
/// <param name="IdempotencyKey">The <c>Idempotency-Key</c> header.</param>
/// <param name="SignatureValid">Whether <c>X-HorizonAI-Signature</c> verified with <see cref="SandboxBusiness.ToolsSecret"/>.</param>
/// <param name="Arguments">The body's <c>arguments</c> as JSON text (<c>{}</c> when absent).</param>
/// <param name="Bot">The body's <c>bot</c>.</param>
/// <param name="User">The body's <c>user</c>.</param>
/// <param name="ProfileName">The body's <c>profile_name</c>.</param>
/// <param name="StartedAt">When the request arrived.</param>
public sealed record BusinessCall(
    string Path,
    string? Tool,
    string? CallId,
    string? IdempotencyKey,
    bool SignatureValid,
    string Arguments,
    string? Bot,
    string? User,
    string? ProfileName,
    DateTimeOffset StartedAt)
{
    /// <summary>When the answer was given; null while the call is under way (held or delayed).</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The status answered; 499 when the caller went away first; null while under way.</summary>
    public int? Status { get; init; }
}

namespace HorizonAI.Sandbox;

/// <summary>A function call the sandbox model made: an output item <c>function_call</c> (Responses) or a <c>tool_calls</c> entry (Chat Completions).</summary>
/// <param name="CallId">The <c>call_…</c> id the caller must answer.</param>
/// <param name="Name">The function called.</param>
/// <param name="Arguments">The arguments, a JSON object as text (the <c>arguments</c> string on the wire).</param>
public sealed record FunctionCall(string CallId, string Name, string Arguments);

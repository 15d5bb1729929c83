namespace HorizonAI.Sandbox;

/// <summary>A function's output a request carried: a <c>function_call_output</c> item (Responses) or a <c>tool</c> message (Chat Completions).</summary>
/// <param name="CallId">The <c>call_id</c> / <c>tool_call_id</c> it answers.</param>
/// <param name="Output">The output text as sent.</param>
public sealed record FunctionOutput(string CallId, string Output);

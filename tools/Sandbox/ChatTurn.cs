namespace HorizonAI.Sandbox;

/// <summary>One entry of a Chat Completions <c>messages</c> array; array content is flattened to its text parts.</summary>
public sealed record ChatTurn(string Role, string Content);

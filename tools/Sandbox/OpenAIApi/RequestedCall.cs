namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>A function call a tag in the user's text asks the sandbox model to make.</summary>
/// <param name="Name">The function to call.</param>
/// <param name="Arguments">Its arguments, a JSON object as text.</param>
internal sealed record RequestedCall(string Name, string Arguments);

namespace HorizonAI.Sandbox.Business;

/// <summary>A <c>tools/call</c> the demo MCP server received.</summary>
/// <param name="Tool">The tool's name.</param>
/// <param name="Arguments">Its arguments as JSON text (<c>{}</c> when absent).</param>
/// <param name="Authorized">Whether it carried <c>Authorization: Bearer</c> <see cref="SandboxBusiness.McpToken"/>; refused (401) when not.</param>
/// <param name="At">When it arrived.</param>
public sealed record McpToolCall(string Tool, string Arguments, bool Authorized, DateTimeOffset At);

namespace HorizonAI.Gateway;

/// <summary>Marks the Gateway assembly, whose entry point is <c>Program.cs</c> (used by WebApplicationFactory in tests).</summary>
public sealed class GatewayApp;

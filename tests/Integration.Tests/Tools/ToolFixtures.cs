using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Tools;

/// <summary>
/// Tools on the Responses path, with small caps so that they are reached in seconds: three calls and two seconds of
/// tool time per turn; the sandbox's business and MCP server on loopback, allowed as the agency's own host.
/// </summary>
public class ToolsFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["TOOL_PRIVATE_HOSTS"] = "127.0.0.1,localhost";
        settings["MAX_TOOL_CALLS_PER_TURN"] = "3";
        settings["TOOL_TURN_BUDGET_SECONDS"] = "2";
        settings["UPSTREAM_ATTEMPT_TIMEOUT_SECONDS"] = "2";
        settings["UPSTREAM_TOTAL_TIMEOUT_SECONDS"] = "4";
        settings["UPSTREAM_MAX_RETRIES"] = "1";
        settings["OPENAI_OUTAGE_PATIENCE_SECONDS"] = "120";
    }
}

/// <summary>The same on the Chat Completions path (an OpenAI-compatible server without the Responses API).</summary>
public sealed class ChatToolsFixture : ToolsFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["OPENAI_API"] = "chat_completions";
    }
}

using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>Short retry budgets so that outage scenarios run in seconds.</summary>
public sealed class UpstreamFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["UPSTREAM_ATTEMPT_TIMEOUT_SECONDS"] = "2";
        settings["UPSTREAM_TOTAL_TIMEOUT_SECONDS"] = "6";
        settings["UPSTREAM_MAX_RETRIES"] = "3";
        settings["OPENAI_OUTAGE_PATIENCE_SECONDS"] = "0";
    }
}

/// <summary>An OpenAI-compatible server without the Responses API.</summary>
public sealed class ChatCompletionsFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["OPENAI_API"] = "chat_completions";
        settings["OPENAI_HISTORY_MAX_CHARS"] = "400";
    }
}

/// <summary>Short retry budgets, but a conversation that waits out an outage of up to a minute.</summary>
public sealed class PatientUpstreamFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["UPSTREAM_ATTEMPT_TIMEOUT_SECONDS"] = "2";
        settings["UPSTREAM_TOTAL_TIMEOUT_SECONDS"] = "3";
        settings["UPSTREAM_MAX_RETRIES"] = "1";
        settings["OPENAI_OUTAGE_PATIENCE_SECONDS"] = "60";
    }
}

/// <summary>No retries at all (UPSTREAM_MAX_RETRIES=0, a valid setting).</summary>
public sealed class NoRetryFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["UPSTREAM_MAX_RETRIES"] = "0";
        settings["UPSTREAM_ATTEMPT_TIMEOUT_SECONDS"] = "2";
        settings["UPSTREAM_TOTAL_TIMEOUT_SECONDS"] = "6";
        settings["OPENAI_OUTAGE_PATIENCE_SECONDS"] = "0";
    }
}

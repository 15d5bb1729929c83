namespace HorizonAI.Grains.Assistants;

/// <summary>What a bot's <c>assistant_id</c> refers to.</summary>
public static class AssistantKind
{
    /// <summary>An OpenAI prompt made in the dashboard (<c>pmpt_…</c>), referenced on each Responses request.</summary>
    public static bool IsPrompt(string? assistantId) => assistantId?.StartsWith("pmpt_", StringComparison.Ordinal) == true;

    /// <summary>
    /// A seed-era Assistants API id (<c>asst_…</c>). That API was shut down on 2026-08-26, so such bots run on their own
    /// instructions and model.
    /// </summary>
    public static bool IsLegacyAssistant(string? assistantId) => assistantId?.StartsWith("asst_", StringComparison.Ordinal) == true;
}

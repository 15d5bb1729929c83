using HorizonAI.Sandbox.Knowledge;

namespace HorizonAI.Sandbox.Control;

/// <summary>The ingestion switches of <see cref="SandboxKnowledge"/>, and how many files were uploaded, as JSON.</summary>
internal sealed record KnowledgeSettings(
    int PollsInProgress, int? IngestionDelayMs, int PollAfterMs, int FailNextFiles, bool FailAllFiles, bool HoldIngestion, int UploadCount)
{
    public static KnowledgeSettings From(SandboxKnowledge knowledge) => new(
        knowledge.PollsInProgress,
        knowledge.IngestionDelayMs,
        knowledge.PollAfterMs,
        knowledge.FailNextFiles,
        knowledge.FailAllFiles,
        knowledge.HoldIngestion,
        knowledge.UploadCount);
}

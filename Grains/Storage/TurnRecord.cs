using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Messaging;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// What one assistant turn produced, written as one record: the messages it answers are claimed, its reply parts are
/// stored as pending outbound rows, and the conversation's own state (assistant conversation, history) is saved when
/// it changed. Either all of it is written or, when another writer claimed or erased those messages first, none.
/// </summary>
/// <param name="MessageIds">The inbound rows this turn answers; all must still be in the inbox.</param>
/// <param name="Parts">The reply, split for WhatsApp; the bot's fallback message when the turn failed; may be empty.</param>
/// <param name="ErrorCode">Set when the turn failed: the inbound messages end as failed with this code.</param>
/// <param name="Conversation">The conversation's state to save, or null when it did not change.</param>
/// <param name="Handoff">Set when the turn hands the conversation to a person: human mode is entered with the claim.</param>
/// <param name="BotModeOnly">The claim fails when the conversation is in human mode (every turn of the assistant; not an opt-out).</param>
/// <param name="MediaReadings">What the turn read of the media of the messages it answers (by message id): voice note transcripts, why an item could not be read, what transcribing cost.</param>
public sealed record TurnRecord(
    string BotId,
    string UserNumber,
    IReadOnlyList<long> MessageIds,
    IReadOnlyList<ReplyPart> Parts,
    int InputTokens,
    int OutputTokens,
    int CachedTokens,
    string? ErrorCode,
    string? ErrorMessage,
    ConversationState? Conversation,
    IReadOnlyDictionary<long, MediaReading>? MediaReadings = null)
{
    public HumanMode? Handoff { get; init; }

    public bool BotModeOnly { get; init; }

    /// <summary>What the turn searched of the bot's knowledge and which documents its answer used (kept on the first part).</summary>
    public KnowledgeUse? Knowledge { get; init; }

    /// <summary>The traceparent of the turn's span, stored with its reply parts so that their sends continue its trace.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>A turn's searches of its bot's knowledge, and the documents its answer used.</summary>
/// <param name="Searches">Every search (the platform's full-text searches and OpenAI's hosted ones).</param>
/// <param name="FileSearches">Those that were OpenAI hosted <c>file_search</c> calls (priced).</param>
public sealed record KnowledgeUse(IReadOnlyList<KnowledgeSource> Sources, int Searches, int FileSearches);

/// <summary>A document an answer used: our document's id (null for a file of another vector store of the bot) and its title.</summary>
public sealed record KnowledgeSource(string? Id, string Title);

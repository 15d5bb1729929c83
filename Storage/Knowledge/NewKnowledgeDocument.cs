namespace HorizonAI.Storage.Knowledge;

/// <summary>A document to add to a bot's knowledge: the original bytes and the text extracted from them.</summary>
/// <param name="BotId">The bot's id (<c>bot_…</c>), never its number.</param>
/// <param name="FileName">The uploaded file's name; null for a text entry.</param>
/// <param name="Content">The original bytes (a text entry's UTF-8): what a reindex uploads again.</param>
/// <param name="Text">The extracted text, cut into the chunks the bot's full-text search reads.</param>
public sealed record NewKnowledgeDocument(string BotId, string Title, string? FileName, string ContentType, byte[] Content, string Text);

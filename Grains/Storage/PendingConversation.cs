namespace HorizonAI.Grains.Storage;

/// <summary>A conversation with unsettled rows, as the recovery sweep finds it: its bot's id, the number its data was written to, and the user.</summary>
public sealed record PendingConversation(string BotId, string BotNumber, string UserNumber);

namespace HorizonAI.Grains.Storage;

/// <summary>A conversation with unsettled rows, as the recovery sweep finds it.</summary>
public sealed record PendingConversation(string BotNumber, string UserNumber);

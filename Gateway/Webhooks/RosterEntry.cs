namespace HorizonAI.Gateway.Webhooks;

/// <summary>A live bot as the Gateway's roster knows it: its number, its id (whose data its messages are) and whether it answers.</summary>
public sealed record RosterEntry(string Number, string Id, bool Enabled);

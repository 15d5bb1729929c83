namespace HorizonAI.Grains.Storage;

/// <summary>A deleted bot's id, and the keys whose scope it left.</summary>
public sealed record DeletedBot(string Id, string[] UnscopedKeys);

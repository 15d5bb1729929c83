namespace HorizonAI.Storage;

/// <summary>
/// The schema this release's code was written for: the highest migration of <c>Silo/Database/Migrations</c>. A Gateway
/// is ready only once the database has it (the Silo, or <c>Silo migrate</c>, applies it).
/// </summary>
public static class SchemaVersion
{
    public const int Expected = 18;

    /// <summary>The channel on which every change to a bot is announced (its number as the payload).</summary>
    public const string BotsChannel = "horizonai_bots";
}

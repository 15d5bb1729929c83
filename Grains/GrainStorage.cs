namespace HorizonAI.Grains;

/// <summary>Names of the grain storage providers the silo registers.</summary>
public static class GrainStorage
{
    /// <summary>PostgreSQL through the Orleans ADO.NET provider.</summary>
    public const string Name = "horizonai";
}

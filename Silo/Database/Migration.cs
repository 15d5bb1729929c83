namespace HorizonAI.Silo.Database;

/// <summary>One numbered SQL script embedded in the Silo (<c>Database/Migrations/NNNN_name.sql</c>).</summary>
public sealed record Migration(int Version, string Name, string Sql, string Checksum);

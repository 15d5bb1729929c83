namespace HorizonAI.Storage;

/// <summary>Times as PostgreSQL keeps them (to the microsecond), so a time written is found again by equality.</summary>
public static class PostgresTime
{
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
    }
}

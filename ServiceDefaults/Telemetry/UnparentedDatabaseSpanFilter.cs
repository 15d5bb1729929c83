using System.Diagnostics;
using OpenTelemetry;

namespace HorizonAI.ServiceDefaults.Telemetry;

/// <summary>
/// Keeps PostgreSQL commands that belong to no request, turn or flush out of the export: Orleans' membership and
/// reminder tables are polled every few seconds, and a trace of one such query says nothing about any message.
/// Registered before the exporter, whose processor skips a span that is no longer marked recorded.
/// </summary>
public sealed class UnparentedDatabaseSpanFilter : BaseProcessor<Activity>
{
    public const string NpgsqlSource = "Npgsql";

    public override void OnEnd(Activity data)
    {
        if (data.Source.Name == NpgsqlSource && data.ParentSpanId == default)
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}

using HorizonAI.LoadGenerator.Results;

namespace HorizonAI.LoadGenerator.Reporting;

/// <summary>
/// Everything bench/run.sh left in its work folder for the report: the generator's JSON results, the raw output of
/// pgbench and wrk, database statistics before and after the run, the product's top statements
/// (pg_stat_statements), samples of its connections' wait states (pg_stat_activity) and the Silo's
/// <c>/metrics</c> at the end, the machine description and the run settings.
/// Missing pieces are reported as missing, never invented.
/// </summary>
public sealed record ReportInputs(
    Dictionary<string, string> Settings,
    string? Machine,
    PipelineResult? Pipeline,
    CeilingResult? CeilingClosed,
    CeilingResult? CeilingOpen,
    string? Wrk,
    string? PgbenchMany,
    string? PgbenchOne,
    Dictionary<string, string> DatabaseBefore,
    Dictionary<string, string> DatabaseAfter,
    string? Statements,
    string? DatabaseActivity,
    PrometheusText SiloMetrics)
{
    public static async Task<ReportInputs> LoadAsync(string directory)
    {
        string? Text(string name) => File.Exists(Path.Combine(directory, name)) ? File.ReadAllText(Path.Combine(directory, name)) : null;
        return new ReportInputs(
            ToolOutput.KeyValues(Text("settings.txt")),
            Text("machine.md"),
            await ResultJson.ReadAsync<PipelineResult>(Path.Combine(directory, "pipeline.json")),
            await ResultJson.ReadAsync<CeilingResult>(Path.Combine(directory, "ceiling-closed.json")),
            await ResultJson.ReadAsync<CeilingResult>(Path.Combine(directory, "ceiling-open.json")),
            Text("wrk.txt"),
            Text("pgbench-many.txt"),
            Text("pgbench-one.txt"),
            ToolOutput.KeyValues(Text("dbstats-before.txt")),
            ToolOutput.KeyValues(Text("dbstats-after.txt")),
            Text("statements.txt"),
            Text("pg-activity.txt"),
            PrometheusText.Parse(Text("silo-metrics.txt")));
    }

    public string Setting(string key, string fallback = "?") => Settings.GetValueOrDefault(key, fallback);
}

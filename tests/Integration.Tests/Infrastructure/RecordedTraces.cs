using System.Collections.ObjectModel;
using System.Diagnostics;
using HorizonAI.ServiceDefaults.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// The spans the product's own tracing configuration (<see cref="TelemetryExtensions.AddHorizonTracing"/>) records in
/// this process — the Gateway, the in-process silos, the stand-ins — kept by OpenTelemetry's in-memory exporter.
/// A tracer provider listens to the whole process, so the tests of other classes are recorded too: a test picks its
/// own spans by their trace.
/// </summary>
public sealed class RecordedTraces : IDisposable
{
    private readonly Spans _spans = new();
    private readonly TracerProvider _provider;

    public RecordedTraces() =>
        _provider = Sdk.CreateTracerProviderBuilder().AddHorizonTracing().AddInMemoryExporter(_spans).Build();

    /// <summary>Every span ended so far.</summary>
    public IReadOnlyList<Activity> All()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId trace) => [.. All().Where(s => s.TraceId == trace)];

    /// <summary>Waits for the first ended span that matches, and fails naming what was looked for.</summary>
    public Task<Activity> WaitForAsync(Func<Activity, bool> match, TimeSpan patience, string what) =>
        Eventually.WaitAsync(() => Task.FromResult(All().FirstOrDefault(match)), span => span is not null, patience, what)!;

    /// <summary>Whether <paramref name="span"/> is <paramref name="ancestor"/> or nested under it, through spans of <paramref name="trace"/>.</summary>
    public static bool IsUnder(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        var bySpan = trace.ToDictionary(s => s.SpanId);
        for (Activity? at = span; at is not null; at = bySpan.GetValueOrDefault(at.ParentSpanId))
        {
            if (at.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Everything a span says in words: its name, its tags' values, its events and their tags.</summary>
    public static IEnumerable<string> TextOf(Activity span) =>
        new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? "" }
            .Concat(span.TagObjects.Select(t => Describe(t.Value)))
            .Concat(span.Events.SelectMany(e => new[] { e.Name }.Concat(e.Tags.Select(t => Describe(t.Value)))));

    public void Dispose() => _provider.Dispose();

    private static string Describe(object? value) => value switch
    {
        string text => text,
        System.Collections.IEnumerable items => string.Join(" ", items.Cast<object?>()),
        _ => value?.ToString() ?? "",
    };

    /// <summary>The exporter adds from whichever thread ended a span; the tests read meanwhile.</summary>
    private sealed class Spans : Collection<Activity>
    {
        protected override void InsertItem(int index, Activity item)
        {
            lock (this)
            {
                base.InsertItem(Count, item);
            }
        }
    }
}

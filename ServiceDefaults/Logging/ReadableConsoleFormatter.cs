using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace HorizonAI.ServiceDefaults.Logging;

/// <summary>
/// The readable log line: the simple console's single line (<c>time level: category[event] message</c>) with, from
/// the line's scopes, only the trace id (<c>trace=…</c>) that the logger factory's activity tracking put there. The
/// other scopes (the bot and the masked user) are in the message's text already, and the simple console would print
/// them as type names.
/// </summary>
public sealed class ReadableConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "horizonai-readable";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        string? traceId = null;
        scopeProvider?.ForEachScope((scope, _) =>
        {
            if (scope is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key == "TraceId")
                    {
                        traceId = value?.ToString();
                    }
                }
            }
        }, (object?)null);

        textWriter.Write(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write("] ");
        if (traceId is not null)
        {
            textWriter.Write("trace=");
            textWriter.Write(traceId);
            textWriter.Write(' ');
        }

        textWriter.Write(message?.ReplaceLineEndings(" "));
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(' ');
            textWriter.Write(exception.ToString().ReplaceLineEndings(" "));
        }

        textWriter.WriteLine();
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}

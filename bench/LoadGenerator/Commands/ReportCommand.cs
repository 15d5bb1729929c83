using HorizonAI.LoadGenerator.Cli;
using HorizonAI.LoadGenerator.Reporting;

namespace HorizonAI.LoadGenerator.Commands;

/// <summary><c>report</c>: turns bench/run.sh's work folder into the markdown report.</summary>
public static class ReportCommand
{
    public static async Task<int> ExecuteAsync(Arguments args, CancellationToken cancellationToken)
    {
        var directory = args.Required("dir");
        var output = args.Required("out");
        args.RejectUnknown();

        var inputs = await ReportInputs.LoadAsync(directory);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, new MarkdownReport(inputs).Render(), cancellationToken);
        Console.WriteLine($"wrote {output}");
        return inputs.Pipeline is null ? 1 : 0;
    }
}

using HorizonAI.Deployment.Tests.Infrastructure;

namespace HorizonAI.Deployment.Tests.Containers;

/// <summary>A Dockerfile read as instructions (continuation lines joined, comments dropped), enough to check its claims.</summary>
public sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<(string Instruction, string Arguments)> instructions)
    {
        Path = path;
        Instructions = instructions;
    }

    public string Path { get; }

    public IReadOnlyList<(string Instruction, string Arguments)> Instructions { get; }

    public IEnumerable<string> All(string instruction) =>
        Instructions.Where(i => i.Instruction == instruction).Select(i => i.Arguments);

    /// <summary>The instructions of the last stage, the one that becomes the image.</summary>
    public IEnumerable<(string Instruction, string Arguments)> FinalStage =>
        Instructions.Skip(Instructions.Select((i, n) => (i, n)).Last(x => x.i.Instruction == "FROM").n);

    public static Dockerfile Read(string relativePath)
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in RepositoryRoot.ReadText(relativePath).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (pending.Length == 0 && (line.TrimStart().StartsWith('#') || string.IsNullOrWhiteSpace(line)))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var full = (pending + line).Trim();
            pending = "";
            var space = full.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add((full[..space].ToUpperInvariant(), full[(space + 1)..].Trim()));
        }

        return new Dockerfile(relativePath, instructions);
    }
}

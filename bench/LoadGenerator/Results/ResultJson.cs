using System.Text.Json;

namespace HorizonAI.LoadGenerator.Results;

/// <summary>How results are written to and read from disk.</summary>
public static class ResultJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task WriteAsync<T>(string path, T value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, value, Options);
    }

    public static async Task<T?> ReadAsync<T>(string path)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<T>(file, Options);
    }
}

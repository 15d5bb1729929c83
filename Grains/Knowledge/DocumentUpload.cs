namespace HorizonAI.Grains.Knowledge;

/// <summary>What is uploaded for a document: a file name OpenAI's file_search accepts, and its bytes.</summary>
public sealed record DocumentUpload(string FileName, byte[] Content)
{
    /// <summary>The types file_search takes as they are; anything else goes up as the extracted text.</summary>
    private static readonly Dictionary<string, string> Accepted = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application/pdf"] = ".pdf",
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = ".docx",
        ["text/plain"] = ".txt",
        ["text/markdown"] = ".md",
        ["text/html"] = ".html",
    };

    /// <summary>
    /// The original bytes under the original name for a type file_search reads (PDF, DOCX, TXT, Markdown, HTML), with
    /// the extension that type needs; the extracted text as UTF-8 <c>.txt</c> otherwise (a text entry, a CSV).
    /// </summary>
    public static DocumentUpload For(string title, string? fileName, string contentType, byte[] content, string text)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        if (fileName is not null && Accepted.TryGetValue(mediaType, out var extension))
        {
            var name = Path.GetExtension(fileName).Equals(extension, StringComparison.OrdinalIgnoreCase)
                ? fileName
                : Path.GetFileNameWithoutExtension(fileName) + extension;
            return new DocumentUpload(Safe(name), content);
        }

        var stem = fileName is not null ? Path.GetFileNameWithoutExtension(fileName) : title;
        return new DocumentUpload(Safe(stem + ".txt"), System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A name without path separators or control characters, and not too long for the Files API.</summary>
    private static string Safe(string name)
    {
        var extension = Path.GetExtension(name);
        var stem = new string([.. Path.GetFileNameWithoutExtension(name).Select(c => char.IsControl(c) || c is '/' or '\\' or '"' ? '_' : c)]).Trim();
        if (stem.Length == 0)
        {
            stem = "document";
        }

        return (stem.Length > 120 ? stem[..120] : stem) + extension;
    }
}

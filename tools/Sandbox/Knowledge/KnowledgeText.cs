using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace HorizonAI.Sandbox.Knowledge;

/// <summary>
/// The text file_search reads in an uploaded file. The sandbox reads text only: bytes that are valid UTF-8 without
/// NUL characters (TXT, Markdown, CSV, JSON, HTML with its tags removed). Anything else (PDF, DOCX) reads as empty,
/// so it is stored and indexed but never found.
/// </summary>
internal static partial class KnowledgeText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Extract(string filename, byte[] content)
    {
        if (Array.IndexOf(content, (byte)0) >= 0)
        {
            return "";
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            return "";
        }

        var extension = Path.GetExtension(filename).ToLowerInvariant();
        return extension is ".html" or ".htm" ? WebUtility.HtmlDecode(Tags().Replace(text, "\n")) : text;
    }

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tags();
}

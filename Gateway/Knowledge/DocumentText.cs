using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace HorizonAI.Gateway.Knowledge;

/// <summary>
/// The text of an uploaded document, which the bot's full-text search reads (the original bytes go upstream as they
/// are). Every failure is the uploader's to fix and is said as such: an encrypted PDF, a scan without a text layer,
/// a damaged file, text that is not UTF-8.
/// </summary>
public static class DocumentText
{
    public const string Pdf = "application/pdf";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string PlainText = "text/plain";
    public const string Markdown = "text/markdown";
    public const string Csv = "text/csv";
    public const string Html = "text/html";

    /// <summary>The file extensions taken, each with its content type.</summary>
    public static IReadOnlyDictionary<string, string> Extensions { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = Pdf,
        [".docx"] = Docx,
        [".txt"] = PlainText,
        [".md"] = Markdown,
        [".markdown"] = Markdown,
        [".csv"] = Csv,
        [".html"] = Html,
        [".htm"] = Html,
    };

    /// <summary>What a refusal of another type lists.</summary>
    public const string Supported = "PDF (.pdf), Word (.docx), text (.txt), Markdown (.md, .markdown), CSV (.csv) and HTML (.html, .htm)";

    private static readonly Dictionary<string, string> DeclaredTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [Pdf] = Pdf,
        [Docx] = Docx,
        [PlainText] = PlainText,
        [Markdown] = Markdown,
        ["text/x-markdown"] = Markdown,
        [Csv] = Csv,
        ["application/csv"] = Csv,
        [Html] = Html,
        ["application/xhtml+xml"] = Html,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The document's type by its file's extension, or by the type the upload declared when the name has none we know
    /// (browsers and curl often send <c>application/octet-stream</c>); null when it is neither.
    /// </summary>
    public static string? ContentTypeOf(string? fileName, string? declaredType)
    {
        if (Extensions.TryGetValue(Path.GetExtension(fileName ?? ""), out var byName))
        {
            return byName;
        }

        var declared = declaredType?.Split(';')[0].Trim();
        return declared is not null && DeclaredTypes.TryGetValue(declared, out var byType) ? byType : null;
    }

    /// <summary>The text of <paramref name="content"/> of <paramref name="contentType"/>, or why there is none.</summary>
    public static bool TryExtract(byte[] content, string contentType, out string text, out string problem)
    {
        text = "";
        if (content.Length == 0)
        {
            problem = "the file is empty";
            return false;
        }

        var extracted = contentType switch
        {
            Pdf => FromPdf(content, out problem),
            Docx => FromDocx(content, out problem),
            Html => Decode(content, out problem) is { } html ? FromHtml(html, out problem) : null,
            _ => Decode(content, out problem),
        };
        if (extracted is null)
        {
            return false;
        }

        text = Clean(extracted);
        if (text.Length == 0)
        {
            problem = "the document has no text";
            return false;
        }

        problem = "";
        return true;
    }

    /// <summary>UTF-8 (or UTF-16 with its byte order mark); anything else is refused rather than read as garbage.</summary>
    private static string? Decode(byte[] content, out string problem)
    {
        problem = "";
        try
        {
            if (content is [0xEF, 0xBB, 0xBF, ..])
            {
                return StrictUtf8.GetString(content, 3, content.Length - 3);
            }

            if (content is [0xFF, 0xFE, ..])
            {
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetString(content, 2, content.Length - 2);
            }

            if (content is [0xFE, 0xFF, ..])
            {
                return new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetString(content, 2, content.Length - 2);
            }

            return StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            problem = "the file is not valid UTF-8 text; save it as UTF-8 and upload it again";
            return null;
        }
    }

    private static string? FromPdf(byte[] content, out string problem)
    {
        problem = "";
        try
        {
            using var pdf = PdfDocument.Open(content);
            if (pdf.NumberOfPages == 0)
            {
                problem = "the PDF has no pages";
                return null;
            }

            var pages = new List<string>(pdf.NumberOfPages);
            foreach (var page in pdf.GetPages())
            {
                pages.Add(ContentOrderTextExtractor.GetText(page));
            }

            var text = string.Join("\n\n", pages);
            if (string.IsNullOrWhiteSpace(text.Replace("\0", "")))
            {
                problem = $"scanned PDF without a text layer: its {pdf.NumberOfPages} page(s) hold images only; run it through OCR (or export it with its text) and upload it again";
                return null;
            }

            return text;
        }
        catch (PdfDocumentEncryptedException)
        {
            problem = "the PDF is encrypted (password-protected); save a copy without the password and upload that";
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            problem = "the PDF could not be read (damaged or not a PDF)";
            return null;
        }
    }

    private static string? FromHtml(string html, out string problem)
    {
        problem = "";
        try
        {
            return HtmlText.ToText(html);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            problem = "the HTML page could not be read in time; save it as text and upload that";
            return null;
        }
    }

    private static string? FromDocx(byte[] content, out string problem)
    {
        problem = "";
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = WordprocessingDocument.Open(stream, isEditable: false);
            if (document.MainDocumentPart?.Document?.Body is not { } body)
            {
                problem = "the Word document has no body";
                return null;
            }

            var text = new StringBuilder();
            foreach (var paragraph in body.Descendants<Paragraph>())
            {
                // A paragraph inside another's text box is read as its own.
                if (paragraph.Ancestors<Paragraph>().Any())
                {
                    continue;
                }

                foreach (var element in paragraph.Descendants())
                {
                    text.Append(element switch
                    {
                        Text run => run.Text,
                        TabChar => "\t",
                        Break or CarriageReturn => "\n",
                        _ => "",
                    });
                }

                text.Append('\n');
            }

            return text.ToString();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            problem = "the Word document could not be read (damaged, or not a .docx)";
            return null;
        }
    }

    /// <summary>Line ends as \n, no NUL (PostgreSQL's text cannot hold one), no run of blank lines, no outer blanks.</summary>
    private static string Clean(string text)
    {
        var lines = text.Replace("\0", "").Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd());
        var cleaned = new StringBuilder(text.Length);
        var blank = 0;
        foreach (var line in lines)
        {
            blank = line.Length == 0 ? blank + 1 : 0;
            if (blank <= 1)
            {
                cleaned.Append(line).Append('\n');
            }
        }

        return cleaned.ToString().Trim();
    }
}

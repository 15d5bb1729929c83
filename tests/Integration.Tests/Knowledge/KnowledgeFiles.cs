using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using PageSize = UglyToad.PdfPig.Content.PageSize;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace HorizonAI.Integration.Tests.Knowledge;

/// <summary>Real documents made the way their applications make them: PDFs with PdfPig's builder, DOCX with the Open XML SDK.</summary>
public static class KnowledgeFiles
{
    /// <summary>A PDF with a text layer: one page per line given.</summary>
    public static byte[] Pdf(params string[] pages)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var line in pages)
        {
            var page = builder.AddPage(PageSize.A4);
            page.AddText(line, 12, new PdfPoint(40, 760), font);
        }

        return builder.Build();
    }

    /// <summary>What a scanner makes: pages with drawings and no text.</summary>
    public static byte[] ScannedPdf()
    {
        using var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.DrawRectangle(new PdfPoint(40, 40), 300, 500, 2, fill: true);
        return builder.Build();
    }

    /// <summary>
    /// A PDF whose trailer says it is encrypted with the standard security handler, under a password no one has: no
    /// reader opens it without one.
    /// </summary>
    public static byte[] EncryptedPdf()
    {
        var text = Encoding.Latin1.GetString(Pdf("Secreto de la casa"));
        var trailer = text.LastIndexOf("trailer", StringComparison.Ordinal);
        var open = text.IndexOf("<<", trailer, StringComparison.Ordinal) + 2;
        var owner = new string('A', 64);
        var user = new string('B', 64);
        var encrypt = $" /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /O <{owner}> /U <{user}> /P -3904 >> /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] ";
        return Encoding.Latin1.GetBytes(text[..open] + encrypt + text[open..]);
    }

    public static byte[] Docx(params string[] paragraphs)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(paragraphs.Select(p => new Paragraph(new Run(new Text(p) { Space = SpaceProcessingModeValues.Preserve })))));
            main.Document.Save();
        }

        return stream.ToArray();
    }
}

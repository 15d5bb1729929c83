using System.Net;
using System.Text.RegularExpressions;

namespace HorizonAI.Gateway.Knowledge;

/// <summary>
/// The readable text of an HTML page: what is never shown (scripts, styles, comments, templates) goes, block elements
/// end lines, every other tag goes, entities are decoded once, runs of blanks fold. Not a browser: enough for the
/// menus and FAQs businesses export.
/// </summary>
public static partial class HtmlText
{
    public static string ToText(string html)
    {
        var text = Comments().Replace(html, " ");
        text = Hidden().Replace(text, " ");
        text = BlockTags().Replace(text, "\n");
        text = Tags().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace('\u00A0', ' ');
        text = Blanks().Replace(text, " ");
        return string.Join('\n', text.Split('\n').Select(line => line.Trim()));
    }

    [GeneratedRegex("<!--.*?(-->|$)", RegexOptions.Singleline, matchTimeoutMilliseconds: 5000)]
    private static partial Regex Comments();

    [GeneratedRegex(@"<(script|style|noscript|template|svg|head)\b[^>]*>.*?(</\1\s*>|$)", RegexOptions.Singleline | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 5000)]
    private static partial Regex Hidden();

    [GeneratedRegex(@"</?(p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|section|article|header|footer|nav|aside|main|blockquote|pre|hr|dt|dd|dl|title|figcaption|address)\b[^>]*>", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 5000)]
    private static partial Regex BlockTags();

    [GeneratedRegex(@"<[!/?]?[A-Za-z][^>]*>", RegexOptions.None, matchTimeoutMilliseconds: 5000)]
    private static partial Regex Tags();

    [GeneratedRegex(@"[ \t\f\v]+", RegexOptions.None, matchTimeoutMilliseconds: 5000)]
    private static partial Regex Blanks();
}

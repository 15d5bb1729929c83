using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HorizonAI.Sandbox.Knowledge;

/// <summary>
/// The sandbox's retrieval, the same for file_search and for answering from a <c>search_knowledge</c> output: the
/// texts are cut into sentences (at line breaks and after <c>.</c>, <c>!</c> or <c>?</c>), each scored by how many
/// distinct words of the query it shares (ignoring case and accents, and words under <see cref="ShortestWord"/>
/// letters). The best sentence wins; the first one on a tie.
/// </summary>
internal static partial class KnowledgeSearch
{
    public const int ShortestWord = 3;

    /// <summary>The best sentence of <paramref name="texts"/> for <paramref name="query"/>; null when no sentence shares a word with it.</summary>
    public static KnowledgeHit? Best(string query, IReadOnlyList<string> texts)
    {
        var wanted = Words(query);
        KnowledgeHit? best = null;
        for (var source = 0; source < texts.Count; source++)
        {
            foreach (var sentence in Sentences(texts[source]))
            {
                var score = Words(sentence).Count(wanted.Contains);
                if (score > 0 && score > (best?.Score ?? 0))
                {
                    best = new KnowledgeHit(source, sentence, score);
                }
            }
        }

        return best;
    }

    public static IEnumerable<string> Sentences(string text) =>
        SentenceBreaks().Split(text).Select(sentence => sentence.Trim()).Where(sentence => sentence.Length > 0);

    /// <summary>The distinct words of <paramref name="text"/>, lower case, accents removed, short ones left out.</summary>
    public static HashSet<string> Words(string text)
    {
        var plain = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                plain.Append(char.ToLowerInvariant(c));
            }
        }

        return [.. WordRuns().Matches(plain.ToString()).Select(match => match.Value).Where(word => word.Length >= ShortestWord)];
    }

    [GeneratedRegex(@"\r?\n|(?<=[.!?])\s+")]
    private static partial Regex SentenceBreaks();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordRuns();
}

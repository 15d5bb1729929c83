using HorizonAI.Sandbox.Knowledge;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// What the sandbox model answers when its file_search finds something: <c>From FILE: SENTENCE</c> and a citation
/// marker (<c>【4:0†FILE】</c>, or with <c>#privatecite</c> U+E200 <c>filecite</c> U+E202 <c>turn0file0</c> U+E201), the
/// kind of marker models have left in their text, so that the caller's stripping is exercised.
/// </summary>
/// <param name="Text">The answer, marker included.</param>
/// <param name="File">The file cited.</param>
/// <param name="Index">Where the citation stands in <paramref name="Text"/>: the marker's first character (UTF-16 units).</param>
/// <param name="Sentence">The sentence found.</param>
/// <param name="Score">The share of the query's words it has, in (0, 1].</param>
internal sealed record FileSearchAnswer(string Text, UploadedFile File, int Index, string Sentence, double Score)
{
    public const string PrivateMarker = "\uE200filecite\uE202turn0file0\uE201";

    /// <summary>The best sentence of the completed files of <paramref name="storeIds"/> for <paramref name="query"/>; null when none shares a word with it.</summary>
    public static FileSearchAnswer? Find(SandboxKnowledge knowledge, IReadOnlyList<string> storeIds, string query, bool privateCite)
    {
        var files = knowledge.SearchableFiles(storeIds);
        if (KnowledgeSearch.Best(query, [.. files.Select(file => file.Text)]) is not { } hit)
        {
            return null;
        }

        var file = files[hit.Source];
        var quote = $"From {file.Filename}: {hit.Sentence}";
        var score = (double)hit.Score / Math.Max(1, KnowledgeSearch.Words(query).Count);
        return new FileSearchAnswer(quote + (privateCite ? PrivateMarker : $"【4:0†{file.Filename}】"), file, quote.Length, hit.Sentence, score);
    }
}

using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Grains.Tools;

namespace HorizonAI.Grains.Knowledge;

/// <summary>
/// <c>search_knowledge</c>: the function a Chat Completions bot with documents is offered, run by the platform through
/// the tool loop with PostgreSQL's full-text search over the bot's own chunks. Nothing is recorded per call (it has
/// no effect on the business); its searches are counted, and the documents it gave the model are the answer's sources.
/// </summary>
public static class KnowledgeTool
{
    public const string Name = "search_knowledge";
    public const int Results = 5;
    private const int MaxTextLength = 1_200;

    public const string Description =
        "Searches the business's own documents (menus, price lists, opening hours, FAQs, policies). Use it before answering any question about the business, its products or its rules, and answer from what it finds.";

    public static readonly BinaryData Parameters = BinaryData.FromString("""
        {
          "type": "object",
          "properties": {
            "query": { "type": "string", "description": "What to look for, in the user's words." }
          },
          "required": ["query"],
          "additionalProperties": false
        }
        """);

    public static readonly OfferedTool Offered = new(Name, Description, Parameters);

    /// <summary>The query in the call's arguments; the whole text when they are not the JSON asked for.</summary>
    public static string QueryOf(string arguments)
    {
        try
        {
            using var json = JsonDocument.Parse(arguments);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("query", out var query) && query.ValueKind == JsonValueKind.String)
            {
                return query.GetString() ?? "";
            }
        }
        catch (JsonException)
        {
            // Not JSON: the model's text is the query.
        }

        return arguments;
    }

    /// <summary>The hits as the model reads them: each piece with its document's title.</summary>
    public static string Output(IReadOnlyList<KnowledgeHit> hits) => JsonSerializer.Serialize(new
    {
        results = hits.Select(h => new { document = h.Title, text = h.Text.Length > MaxTextLength ? h.Text[..MaxTextLength] : h.Text }),
        note = hits.Count == 0 ? "Nothing in the business's documents matches: say you do not know rather than guess." : null,
    });

    public static IEnumerable<KnowledgeSource> SourcesOf(IReadOnlyList<KnowledgeHit> hits) =>
        hits.Select(h => new KnowledgeSource(h.DocumentId, h.Title));
}

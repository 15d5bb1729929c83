using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>What a bot's knowledge base may hold (SPEC §9), the same for every bot.</summary>
public sealed class KnowledgeOptions
{
    public const string MaxFileBytesVariable = "KNOWLEDGE_MAX_FILE_BYTES";
    public const string MaxDocumentsVariable = "KNOWLEDGE_MAX_DOCUMENTS_PER_BOT";

    private const int MiB = 1024 * 1024;

    /// <summary>The largest document (the uploaded file, or a text entry's text) a bot may add.</summary>
    [SettingRange(1, 512 * MiB, ErrorMessage = MaxFileBytesVariable + " must be a whole number of bytes from 1 to 536870912")]
    public int MaxFileBytes { get; set; } = 20 * MiB;

    /// <summary>Documents one bot may have.</summary>
    [SettingRange(1, 100_000, ErrorMessage = MaxDocumentsVariable + " must be a whole number from 1 to 100000")]
    public int MaxDocumentsPerBot { get; set; } = 500;

    public static KnowledgeOptions From(IConfiguration configuration) => new()
    {
        MaxFileBytes = configuration.Integer(MaxFileBytesVariable, 20 * MiB),
        MaxDocumentsPerBot = configuration.Integer(MaxDocumentsVariable, 500),
    };
}

[OptionsValidator]
public sealed partial class KnowledgeOptionsValidator : IValidateOptions<KnowledgeOptions>;

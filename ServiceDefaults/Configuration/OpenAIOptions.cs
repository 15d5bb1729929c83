using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>The agency's OpenAI (or OpenAI-compatible) endpoint, shared by every bot.</summary>
public sealed class OpenAIOptions
{
    public const string DefaultBaseUrl = "https://api.openai.com/v1";
    public const string DefaultModel = "gpt-5-mini";
    public const string ResponsesApi = "responses";
    public const string ChatCompletionsApi = "chat_completions";

    public const string ApiKeyVariable = "OPENAI_API_KEY";
    public const string BaseUrlVariable = "OPENAI_BASE_URL";
    public const string ModelVariable = "OPENAI_MODEL";
    public const string ApiVariable = "OPENAI_API";
    public const string HistoryMaxCharsVariable = "OPENAI_HISTORY_MAX_CHARS";
    public const string OutagePatienceVariable = "OPENAI_OUTAGE_PATIENCE_SECONDS";

    [SettingRequired(ErrorMessage = ApiKeyVariable + " is not set; create a key in the OpenAI dashboard and put it in the environment or .env")]
    public string? ApiKey { get; set; }

    /// <summary>Includes <c>/v1</c>: the SDK appends paths to it.</summary>
    [SettingHttpUrl(ErrorMessage = BaseUrlVariable + " must be an absolute http(s) URL including /v1, such as https://api.openai.com/v1")]
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    public string Model { get; set; } = DefaultModel;

    [SettingAllowedValues(ResponsesApi, ChatCompletionsApi, ErrorMessage = ApiVariable + " must be '" + ResponsesApi + "' or '" + ChatCompletionsApi + "'")]
    public string Api { get; set; } = ResponsesApi;

    /// <summary>With Chat Completions, how many characters of earlier turns are sent; the oldest turns go first.</summary>
    [SettingRange(0, int.MaxValue, ErrorMessage = HistoryMaxCharsVariable + " must be a whole number of characters, 0 or more")]
    public int HistoryMaxChars { get; set; } = 24_000;

    /// <summary>
    /// How long a conversation keeps retrying its turn through an outage (transient errors, open circuit) before it
    /// gives up, sends the fallback and marks the messages failed.
    /// </summary>
    [SettingRange(0, int.MaxValue, ErrorMessage = OutagePatienceVariable + " must be a whole number of seconds, 0 or more")]
    public int OutagePatienceSeconds { get; set; } = 300;

    public static OpenAIOptions From(IConfiguration configuration) => new()
    {
        ApiKey = configuration.Text(ApiKeyVariable),
        BaseUrl = configuration.Text(BaseUrlVariable) ?? DefaultBaseUrl,
        Model = configuration.Text(ModelVariable) ?? DefaultModel,
        Api = configuration.Text(ApiVariable)?.ToLowerInvariant() ?? ResponsesApi,
        HistoryMaxChars = configuration.Integer(HistoryMaxCharsVariable, 24_000),
        OutagePatienceSeconds = configuration.Integer(OutagePatienceVariable, 300),
    };
}

[OptionsValidator]
public sealed partial class OpenAIOptionsValidator : IValidateOptions<OpenAIOptions>;

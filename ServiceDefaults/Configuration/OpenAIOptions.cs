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

    public string? ApiKey { get; set; }

    /// <summary>Includes <c>/v1</c>: the SDK appends paths to it.</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    public string Model { get; set; } = DefaultModel;

    public string Api { get; set; } = ResponsesApi;

    /// <summary>With Chat Completions, how many characters of earlier turns are sent; the oldest turns go first.</summary>
    public int HistoryMaxChars { get; set; } = 24_000;

    /// <summary>
    /// How long a conversation keeps retrying its turn through an outage (transient errors, open circuit) before it
    /// gives up, sends the fallback and marks the messages failed.
    /// </summary>
    public int OutagePatienceSeconds { get; set; } = 300;

    public static OpenAIOptions From(IConfiguration configuration) => new()
    {
        ApiKey = configuration.Text("OPENAI_API_KEY"),
        BaseUrl = configuration.Text("OPENAI_BASE_URL") ?? DefaultBaseUrl,
        Model = configuration.Text("OPENAI_MODEL") ?? DefaultModel,
        Api = configuration.Text("OPENAI_API")?.ToLowerInvariant() ?? ResponsesApi,
        HistoryMaxChars = configuration.Integer("OPENAI_HISTORY_MAX_CHARS", 24_000),
        OutagePatienceSeconds = configuration.Integer("OPENAI_OUTAGE_PATIENCE_SECONDS", 300),
    };
}

public sealed class OpenAIOptionsValidator : IValidateOptions<OpenAIOptions>
{
    public ValidateOptionsResult Validate(string? name, OpenAIOptions options)
    {
        var failures = new List<string>();
        if (options.ApiKey is null)
        {
            failures.Add("OPENAI_API_KEY is not set; create a key in the OpenAI dashboard and put it in the environment or .env");
        }

        if (!SettingsReader.IsAbsoluteHttpUrl(options.BaseUrl))
        {
            failures.Add("OPENAI_BASE_URL must be an absolute http(s) URL including /v1, such as https://api.openai.com/v1");
        }

        if (options.Api is not (OpenAIOptions.ResponsesApi or OpenAIOptions.ChatCompletionsApi))
        {
            failures.Add("OPENAI_API must be 'responses' or 'chat_completions'");
        }

        if (options.OutagePatienceSeconds < 0)
        {
            failures.Add("OPENAI_OUTAGE_PATIENCE_SECONDS must be a whole number of seconds, 0 or more");
        }

        if (options.HistoryMaxChars < 0)
        {
            failures.Add("OPENAI_HISTORY_MAX_CHARS must be a whole number of characters, 0 or more");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

namespace HorizonAI.Sandbox;

/// <summary>An OpenAI request the sandbox answered successfully (refused and failed ones are only counted).</summary>
/// <param name="Api"><c>"responses"</c> or <c>"chat_completions"</c>.</param>
/// <param name="ConversationId">The <c>conversation</c> of a Responses request, if any.</param>
/// <param name="Model">The requested model.</param>
/// <param name="Instructions">Responses: the <c>instructions</c> field or, when absent, the system and developer input items. Chat Completions: the system and developer messages. Joined by a newline.</param>
/// <param name="PromptId">The <c>prompt.id</c> of a Responses request, if any.</param>
/// <param name="InputText">Responses: the text of every user input item, joined by a newline. Chat Completions: the last user message.</param>
/// <param name="Messages">Chat Completions: every message; empty for Responses.</param>
/// <param name="StartedAt">When the request arrived.</param>
/// <param name="FinishedAt">When the answer was ready (after any latency or <c>#slow</c> delay).</param>
public sealed record AssistantRequest(
    string Api,
    string? ConversationId,
    string? Model,
    string? Instructions,
    string? PromptId,
    string InputText,
    IReadOnlyList<ChatTurn> Messages,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt)
{
    public const string ResponsesApi = "responses";
    public const string ChatCompletionsApi = "chat_completions";

    /// <summary>The text the sandbox answered with.</summary>
    public string OutputText { get; init; } = "";

    /// <summary>The <c>previous_response_id</c> of a Responses request, if any.</summary>
    public string? PreviousResponseId { get; init; }

    /// <summary>The names of the function tools the request offered, in request order.</summary>
    public IReadOnlyList<string> OfferedTools { get; init; } = [];

    /// <summary>
    /// The request's <c>tool_choice</c>: <c>"none"</c>, <c>"auto"</c>, <c>"required"</c>, or a named function as its
    /// JSON text; null when the request did not send one.
    /// </summary>
    public string? ToolChoice { get; init; }

    /// <summary>The function calls the sandbox answered with, in order (empty when it answered text).</summary>
    public IReadOnlyList<FunctionCall> FunctionCalls { get; init; } = [];

    /// <summary>
    /// The function outputs the request carried, in order. Responses: its <c>function_call_output</c> items.
    /// Chat Completions: every <c>tool</c> message, as that API sends the whole history each time.
    /// </summary>
    public IReadOnlyList<FunctionOutput> ToolOutputs { get; init; } = [];

    /// <summary>
    /// Responses: the vector stores the request's file_search searched (its tool's <c>vector_store_ids</c>); empty
    /// when it did not search (no file_search tool, or the turn answered with function calls or a tool follow-up).
    /// </summary>
    public IReadOnlyList<string> FileSearchStoreIds { get; init; } = [];

    /// <summary>The files the answer cited (<c>file_citation</c> annotations), in order.</summary>
    public IReadOnlyList<string> CitedFileIds { get; init; } = [];
}

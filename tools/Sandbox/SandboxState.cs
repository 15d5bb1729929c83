using System.Text;

namespace HorizonAI.Sandbox;

/// <summary>
/// Everything the sandbox saw, and the switches that make it misbehave. Thread-safe: requests record into it
/// concurrently while tests read it. The list properties return snapshots.
/// </summary>
public sealed class SandboxState
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly List<SentMessage> _twilioMessages = [];
    private readonly List<TypingIndicator> _typingIndicators = [];
    private readonly List<StatusCallbackDelivery> _statusCallbacks = [];
    private readonly List<AssistantRequest> _openAIRequests = [];
    private readonly List<string> _openAITurnsBegun = [];
    private readonly List<string> _conversations = [];
    private readonly Dictionary<string, OpenAIApi.ToolTurnMemory> _toolTurns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _callNames = new(StringComparer.Ordinal);
    private readonly List<ReceivedHook> _hooks = [];
    private readonly HashSet<string> _liveConversations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _responseIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _responseUserTexts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _turnsInFlight = new(StringComparer.Ordinal);
    private int _conversationLockedCount;
    private int _maxConcurrentTurns;
    private int _twilioRejectedCount;
    private int _openAIRejectedCount;
    private string? _twilioAuthToken;
    private bool _sendStatusCallbacks;
    private int? _statusCallbackErrorCode;

    // Swapped on every change; waiters await the current one and re-check their condition when it completes.
    private TaskCompletionSource _changed = NewSignal();

    public SandboxState()
        : this(TimeProvider.System)
    {
    }

    public SandboxState(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        WhatsApp = new TwilioApi.WhatsAppRules(timeProvider);
        Business = new Business.SandboxBusiness(SignalChange);
        Knowledge = new Knowledge.SandboxKnowledge(timeProvider, SignalChange);
    }

    /// <summary>OpenAI's Files and Vector Stores as the sandbox keeps them, and the switches of their ingestion.</summary>
    public Knowledge.SandboxKnowledge Knowledge { get; }

    /// <summary>The demo business: its function-tool endpoints, its MCP server, and what they received.</summary>
    public Business.SandboxBusiness Business { get; }

    /// <summary>Fault switches for the Twilio routes (<c>/2010-04-01/…</c>, <c>/v2/Indicators/…</c>).</summary>
    public UpstreamFaults Twilio { get; } = new();

    /// <summary>Fault switches for the OpenAI routes (<c>/v1/…</c>).</summary>
    public UpstreamFaults OpenAI { get; } = new();

    /// <summary>Fault switches for Twilio's media URLs (the first hop, before the redirect).</summary>
    public UpstreamFaults MediaFaults { get; } = new();

    /// <summary>The media the sandbox serves, the requests for it, and its transcriptions.</summary>
    public SandboxMedia Media { get; } = new();

    /// <summary>WhatsApp's 24-hour window and per-sender rate, enforced when switched on.</summary>
    public TwilioApi.WhatsAppRules WhatsApp { get; }

    /// <summary>
    /// Key for the <c>X-Twilio-Signature</c> of status callbacks. When null the basic-auth password of the send
    /// request is used, which is what Twilio does for an account's auth token. Kept by <see cref="Reset"/>.
    /// </summary>
    public string? TwilioAuthToken
    {
        get { lock (_gate) { return _twilioAuthToken; } }
        set { lock (_gate) { _twilioAuthToken = value; } }
    }

    /// <summary>
    /// When on, every accepted message with a <c>StatusCallback</c> gets signed callbacks <c>sent</c> then
    /// <c>delivered</c> (or <c>failed</c>, see <see cref="StatusCallbackErrorCode"/>). Kept by <see cref="Reset"/>.
    /// </summary>
    public bool SendStatusCallbacks
    {
        get { lock (_gate) { return _sendStatusCallbacks; } }
        set { lock (_gate) { _sendStatusCallbacks = value; } }
    }

    /// <summary>
    /// When set, status callbacks report <c>sent</c> then <c>failed</c> with this <c>ErrorCode</c> (e.g. 63016,
    /// outside the 24-hour window) instead of <c>delivered</c>. Cleared by <see cref="Reset"/>.
    /// </summary>
    public int? StatusCallbackErrorCode
    {
        get { lock (_gate) { return _statusCallbackErrorCode; } }
        set { lock (_gate) { _statusCallbackErrorCode = value; } }
    }

    /// <summary>Messages accepted (answered 201), in arrival order.</summary>
    public IReadOnlyList<SentMessage> TwilioMessages
    {
        get { lock (_gate) { return [.. _twilioMessages]; } }
    }

    /// <summary>Typing indicators accepted, in arrival order.</summary>
    public IReadOnlyList<TypingIndicator> TypingIndicators
    {
        get { lock (_gate) { return [.. _typingIndicators]; } }
    }

    /// <summary>Status callbacks posted, in posting order.</summary>
    public IReadOnlyList<StatusCallbackDelivery> StatusCallbacks
    {
        get { lock (_gate) { return [.. _statusCallbacks]; } }
    }

    /// <summary>Twilio requests answered with an error status (faults, validation, authentication).</summary>
    public int TwilioRejectedCount
    {
        get { lock (_gate) { return _twilioRejectedCount; } }
    }

    /// <summary>OpenAI requests answered successfully, in the order they finished.</summary>
    public IReadOnlyList<AssistantRequest> OpenAIRequests
    {
        get { lock (_gate) { return [.. _openAIRequests]; } }
    }

    /// <summary>The instructions of each Responses turn as it began (before any delay), in order: a turn under way is here already.</summary>
    public IReadOnlyList<string> OpenAITurnsBegun
    {
        get { lock (_gate) { return [.. _openAITurnsBegun]; } }
    }

    /// <summary>OpenAI requests answered with an error status (faults, <c>#fail</c>, <c>conversation_locked</c>, validation).</summary>
    public int OpenAIRejectedCount
    {
        get { lock (_gate) { return _openAIRejectedCount; } }
    }

    /// <summary>Ids of the conversations created since the last <see cref="Reset"/>, in creation order.</summary>
    public IReadOnlyList<string> Conversations
    {
        get { lock (_gate) { return [.. _conversations]; } }
    }

    /// <summary>Responses requests refused with 400 <c>conversation_locked</c> because a turn was in flight on that conversation.</summary>
    public int ConversationLockedCount
    {
        get { lock (_gate) { return _conversationLockedCount; } }
    }

    /// <summary>
    /// The most Responses requests seen at the same time on one conversation, refused ones included: 1 means the
    /// caller never overlapped turns, 2 or more means it did (and was refused).
    /// </summary>
    public int MaxConcurrentTurnsPerConversation
    {
        get { lock (_gate) { return _maxConcurrentTurns; } }
    }

    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Clears every record, counter and fault switch. Conversations, responses, files and vector stores created
    /// earlier keep existing, as they would at OpenAI, so an app that stored their ids keeps working; turns in flight stay in flight.
    /// </summary>
    public void Reset()
    {
        Twilio.Reset();
        OpenAI.Reset();
        MediaFaults.Reset();
        Media.Reset();
        WhatsApp.Reset();
        Business.Reset();
        Knowledge.Reset();
        lock (_gate)
        {
            _twilioMessages.Clear();
            _typingIndicators.Clear();
            _statusCallbacks.Clear();
            _openAIRequests.Clear();
            _openAITurnsBegun.Clear();
            _conversations.Clear();
            _conversationLockedCount = 0;
            _maxConcurrentTurns = 0;
            _twilioRejectedCount = 0;
            _openAIRejectedCount = 0;
            _statusCallbackErrorCode = null;
        }

        SignalChange();
    }

    /// <summary>Completes when at least <paramref name="count"/> messages were accepted; returns them all.</summary>
    /// <exception cref="TimeoutException">Not enough arrived in time; the message lists what did.</exception>
    public async Task<IReadOnlyList<SentMessage>> WaitForTwilioMessagesAsync(
        int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await WaitUntilAsync(s => s.TwilioMessages.Count >= count, timeout, $"{count} Twilio message(s)", cancellationToken);
        return TwilioMessages;
    }

    /// <summary>Completes when at least <paramref name="count"/> typing indicators were accepted; returns them all.</summary>
    public async Task<IReadOnlyList<TypingIndicator>> WaitForTypingIndicatorsAsync(
        int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await WaitUntilAsync(s => s.TypingIndicators.Count >= count, timeout, $"{count} typing indicator(s)", cancellationToken);
        return TypingIndicators;
    }

    /// <summary>Completes when at least <paramref name="count"/> OpenAI requests were answered successfully; returns them all.</summary>
    public async Task<IReadOnlyList<AssistantRequest>> WaitForOpenAIRequestsAsync(
        int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await WaitUntilAsync(s => s.OpenAIRequests.Count >= count, timeout, $"{count} OpenAI request(s)", cancellationToken);
        return OpenAIRequests;
    }

    /// <summary>Completes when at least <paramref name="count"/> status callbacks were posted; returns them all.</summary>
    public async Task<IReadOnlyList<StatusCallbackDelivery>> WaitForStatusCallbacksAsync(
        int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await WaitUntilAsync(s => s.StatusCallbacks.Count >= count, timeout, $"{count} status callback(s)", cancellationToken);
        return StatusCallbacks;
    }

    /// <summary>
    /// Completes as soon as <paramref name="condition"/> holds; it is re-checked after every change to this state.
    /// </summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="timeout"/>; the message says what was waited for and summarises the state.</exception>
    public async Task WaitUntilAsync(
        Func<SandboxState, bool> condition,
        TimeSpan timeout,
        string description,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var started = _time.GetTimestamp();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            // Checked after taking the signal so that a change in between completes it instead of being missed.
            if (condition(this))
            {
                return;
            }

            var remaining = timeout - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.###} s for {description}; got: {Summary()}");
            }

            try
            {
                await changed.WaitAsync(remaining, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Loop once more: the condition gets a last check and the exception its summary.
            }
        }
    }

    /// <summary>A human-readable summary of what was recorded, for failure messages.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            text.Append($"{_twilioMessages.Count} Twilio message(s)");
            foreach (var message in _twilioMessages)
            {
                text.Append($" [{message.Sid} {message.From} -> {message.To}: \"{Shorten(message.Body)}\"]");
            }

            text.Append($"; {_typingIndicators.Count} typing indicator(s); {_statusCallbacks.Count} status callback(s)");
            text.Append($"; {_twilioRejectedCount} Twilio request(s) rejected");
            text.Append($"; {_openAIRequests.Count} OpenAI request(s)");
            foreach (var request in _openAIRequests)
            {
                text.Append($" [{request.Api} {request.ConversationId ?? "-"}: \"{Shorten(request.InputText)}\"]");
            }

            text.Append($"; {_openAIRejectedCount} OpenAI request(s) rejected");
            text.Append($"; {_conversationLockedCount} conversation_locked");
        }

        return text.ToString();
    }

    internal void RecordTwilioMessage(SentMessage message) => Record(_twilioMessages, message);

    internal void RecordTypingIndicator(TypingIndicator indicator) => Record(_typingIndicators, indicator);

    internal void RecordStatusCallback(StatusCallbackDelivery delivery) => Record(_statusCallbacks, delivery);

    internal void RecordTurnBegun(string? instructions)
    {
        lock (_gate)
        {
            _openAITurnsBegun.Add(instructions ?? "");
        }
    }

    internal void RecordOpenAIRequest(AssistantRequest request, string? responseId)
    {
        lock (_gate)
        {
            _openAIRequests.Add(request);
            if (responseId is not null)
            {
                _responseIds.Add(responseId);
            }
        }

        SignalChange();
    }

    internal void CountTwilioRejection()
    {
        lock (_gate)
        {
            _twilioRejectedCount++;
        }

        SignalChange();
    }

    internal void CountOpenAIRejection()
    {
        lock (_gate)
        {
            _openAIRejectedCount++;
        }

        SignalChange();
    }

    internal void AddConversation(string id)
    {
        lock (_gate)
        {
            _conversations.Add(id);
            _liveConversations.Add(id);
        }

        SignalChange();
    }

    /// <summary>
    /// The conversation's current turn: its user text, the outputs given since, and the calls its next request must
    /// answer (a function_call_output for each call_id), as the Responses API requires of a conversation whose last
    /// output was calls.
    /// </summary>
    internal OpenAIApi.ToolTurnMemory ToolTurn(string conversationId)
    {
        lock (_gate)
        {
            return _toolTurns.GetValueOrDefault(conversationId) ?? OpenAIApi.ToolTurnMemory.None;
        }
    }

    internal void SetToolTurn(string conversationId, OpenAIApi.ToolTurnMemory memory)
    {
        lock (_gate)
        {
            _toolTurns[conversationId] = memory;
        }
    }

    /// <summary>Remembers which function each call id called, so that a follow-up's outputs can be named.</summary>
    internal void RememberCalls(IEnumerable<FunctionCall> calls)
    {
        lock (_gate)
        {
            foreach (var call in calls)
            {
                _callNames[call.CallId] = call.Name;
            }
        }
    }

    internal string? CallName(string callId)
    {
        lock (_gate)
        {
            return _callNames.GetValueOrDefault(callId);
        }
    }

    /// <summary>Posts received on <c>/_sandbox/hooks</c>, oldest first.</summary>
    public IReadOnlyList<ReceivedHook> Hooks
    {
        get { lock (_gate) { return [.. _hooks]; } }
    }

    internal void RecordHook(ReceivedHook hook)
    {
        lock (_gate)
        {
            _hooks.Add(hook);
        }

        SignalChange();
    }

    /// <summary>Whether a conversation with this id exists (created and not deleted).</summary>
    public bool ConversationExists(string id)
    {
        lock (_gate)
        {
            return _liveConversations.Contains(id);
        }
    }

    internal bool DeleteConversation(string id)
    {
        bool removed;
        lock (_gate)
        {
            removed = _liveConversations.Remove(id);
        }

        SignalChange();
        return removed;
    }

    /// <summary>
    /// The user text a response answered (the last user message of its turn), so that a follow-up chained to it
    /// with <c>previous_response_id</c>, which carries only function outputs, knows what the user asked.
    /// </summary>
    internal void RememberUserText(string responseId, string userText)
    {
        lock (_gate)
        {
            _responseUserTexts[responseId] = userText;
        }
    }

    internal string? UserTextOf(string responseId)
    {
        lock (_gate)
        {
            return _responseUserTexts.GetValueOrDefault(responseId);
        }
    }

    internal bool ResponseExists(string id)
    {
        lock (_gate)
        {
            return _responseIds.Contains(id);
        }
    }

    /// <summary>
    /// Marks a turn as in flight on <paramref name="conversationId"/>. False (and counted as locked) when another
    /// turn already is; only a true result must be paired with <see cref="EndTurn"/>.
    /// </summary>
    internal bool TryBeginTurn(string conversationId)
    {
        bool begun;
        lock (_gate)
        {
            var inFlight = _turnsInFlight.GetValueOrDefault(conversationId);
            _maxConcurrentTurns = Math.Max(_maxConcurrentTurns, inFlight + 1);
            begun = inFlight == 0;
            if (begun)
            {
                _turnsInFlight[conversationId] = 1;
            }
            else
            {
                _conversationLockedCount++;
            }
        }

        SignalChange();
        return begun;
    }

    internal void EndTurn(string conversationId)
    {
        lock (_gate)
        {
            _turnsInFlight.Remove(conversationId);
        }

        SignalChange();
    }

    private void Record<T>(List<T> list, T item)
    {
        lock (_gate)
        {
            list.Add(item);
        }

        SignalChange();
    }

    private void SignalChange()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = NewSignal();
        }

        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}

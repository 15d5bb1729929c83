using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// What the messages table says is open for one conversation, as its activation last read it plus its own writes
/// since: the inbox (accepted, unclaimed messages), the outbox (parts of the claimed reply still to send) and the
/// conversation's state. Nothing here is the truth; when in doubt (<see cref="Stale"/>) it is read again.
/// </summary>
public sealed class OpenWork
{
    private List<PendingInbound>? _acceptedDuringLoad;
    private List<PendingPart>? _queuedDuringLoad;
    private int _loads;

    public List<PendingInbound> Inbox { get; } = [];

    public List<PendingPart> Outbox { get; } = [];

    public ConversationState State { get; private set; } = new(null, []);

    /// <summary>A new assistant conversation was made that no committed turn has saved yet.</summary>
    public bool StateUnsaved { get; private set; }

    /// <summary>The table may hold what this copy lacks: a fresh activation, a write whose answer was lost, a wake.</summary>
    public bool Stale { get; set; } = true;

    /// <summary>How many resets this activation has seen: work begun before one belongs to an erased conversation.</summary>
    public int Resets { get; private set; }

    public bool IsEmpty => Inbox.Count == 0 && Outbox.Count == 0;

    /// <summary>Starts a reading of the table; returns its number, for <see cref="Apply"/>.</summary>
    public int BeginLoad()
    {
        Stale = false;
        _acceptedDuringLoad = [];
        _queuedDuringLoad = [];
        return ++_loads;
    }

    /// <summary>
    /// Takes a reading, unless a later one was begun since or a reset came between (false): an older reading may miss
    /// what a newer one saw.
    /// </summary>
    private readonly HashSet<long> _writtenHere = [];
    private readonly HashSet<long> _tried = [];

    /// <summary>When the unconfirmed head was written: Twilio's message for it can only be newer.</summary>
    public DateTimeOffset? UnconfirmedSince { get; private set; }

    /// <summary>A send of this part is about to be attempted (so a later reading of the table must look it up first).</summary>
    public void Trying(long partId) => _tried.Add(partId);

    /// <summary>The part is recorded (sent or failed): it leaves the outbox, and nothing more needs remembering of it.</summary>
    public void Recorded(PendingPart part)
    {
        Outbox.Remove(part);
        _writtenHere.Remove(part.Id);
        _tried.Remove(part.Id);
    }

    /// <summary>The outbox part read from the table that an earlier activation may have sent without recording it, if any.</summary>
    public long? UnconfirmedHead { get; set; }

    public bool Apply(ConversationSnapshot snapshot, int load)
    {
        if (load != _loads)
        {
            return false;
        }

        // Messages accepted while the load was under way may have committed after it read: keep them too.
        var accepted = _acceptedDuringLoad ?? [];
        _acceptedDuringLoad = null;
        Stale = false;
        Inbox.Clear();
        Inbox.AddRange(snapshot.Inbox.UnionBy(accepted, m => m.Id).OrderBy(m => m.Id));
        // Likewise operator messages queued while it read.
        var queued = _queuedDuringLoad ?? [];
        _queuedDuringLoad = null;
        Outbox.Clear();
        Outbox.AddRange(snapshot.Outbox.UnionBy(queued, p => p.Id).OrderBy(p => p.Id));
        // Parts go one at a time, each recorded before the next: of what the table holds, only the first may have
        // reached Twilio without being recorded (a crash in between), so only it is looked up before it is sent.
        // A part this activation wrote itself and never tried has not been sent before.
        UnconfirmedHead = snapshot.Outbox.Count > 0 && snapshot.Outbox.Min(p => p.Id) is var head && (!_writtenHere.Contains(head) || _tried.Contains(head))
            ? head : null;
        UnconfirmedSince = UnconfirmedHead is { } unconfirmed && snapshot.OutboxWrittenAt.TryGetValue(unconfirmed, out var written) ? written : null;
        // The mode and the opt-out are the table's always; the assistant's side only when this copy has nothing newer.
        State = StateUnsaved
            ? State with { OptedOutAt = snapshot.OptedOutAt, Human = snapshot.Human }
            : new ConversationState(snapshot.AssistantConversationId, snapshot.History)
            {
                OptedOutAt = snapshot.OptedOutAt,
                Human = snapshot.Human,
                PendingCallId = snapshot.PendingCallId,
            };

        return true;
    }

    /// <summary>
    /// Takes what storing <paramref name="message"/> found: the conversation's open work when a reading went with it
    /// (<paramref name="load"/>), else the new row; a row stored before by an attempt whose answer was lost makes this
    /// copy stale.
    /// </summary>
    public void Stored(InboundMessage message, AcceptResult stored, int? load)
    {
        var loaded = stored.Conversation is { } snapshot && Apply(snapshot, load!.Value);
        if (!loaded && stored.Inserted)
        {
            Accepted(new PendingInbound(stored.Id!.Value, message.MessageSid, message.Body, MediaItem.Zip(message.MediaUrls, message.MediaTypes), message.ReceivedAt,
                message.TraceParent));
        }

        Stale |= !stored.Inserted && stored.Status == MessageStatus.Received && Inbox.TrueForAll(m => m.Id != stored.Id);
    }

    private void Accepted(PendingInbound message)
    {
        if (Inbox.TrueForAll(m => m.Id != message.Id))
        {
            Inbox.Add(message);
        }

        _acceptedDuringLoad?.Add(message);
    }

    public void AssistantConversationMade(string? conversationId)
    {
        if (conversationId != State.AssistantConversationId)
        {
            State = State with { AssistantConversationId = conversationId };
            StateUnsaved = true;
        }
    }

    /// <summary>A committed turn: its messages left the inbox, its parts joined the outbox, its state was saved.</summary>
    public void Claimed(IReadOnlyList<PendingInbound> batch, IReadOnlyList<PendingPart> parts, ConversationState? saved)
    {
        Inbox.RemoveAll(m => batch.Any(b => b.Id == m.Id));
        Outbox.AddRange(parts);
        _writtenHere.UnionWith(parts.Select(p => p.Id));
        if (saved is not null)
        {
            // A turn enters human mode (a handoff) but never leaves it: a take-over committed during the turn stands.
            State = saved.Human is null ? saved with { Human = State.Human } : saved;
            StateUnsaved = false;
        }
    }

    /// <summary>Human mode entered, changed (an operator wrote) or left (null), as committed.</summary>
    public void ModeChanged(HumanMode? human) => State = State with { Human = human };

    /// <summary>An operator's message, committed: it joins the outbox behind what is there.</summary>
    public void Queued(IReadOnlyList<PendingPart> parts)
    {
        _queuedDuringLoad?.AddRange(parts);
        _writtenHere.UnionWith(parts.Select(p => p.Id));
        Outbox.AddRange(parts.Where(p => Outbox.TrueForAll(o => o.Id != p.Id)));
    }

    /// <summary>Whether <paramref name="part"/> is the last part of the bot's reply still to send (it then settles what the reply answers).</summary>
    public bool IsLastOfReply(PendingPart part) => part.SentBy is null && Outbox.Count(p => p.SentBy is null) == 1;

    public void Reset()
    {
        Resets++;
        _loads++;
        _acceptedDuringLoad = null;
        _queuedDuringLoad = null;
        Inbox.Clear();
        Outbox.Clear();
        State = new ConversationState(null, []) { OptedOutAt = State.OptedOutAt }; // an erasure does not undo an opt-out
        StateUnsaved = false;
        Stale = false;
    }
}

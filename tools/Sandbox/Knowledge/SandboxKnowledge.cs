using System.Security.Cryptography;

namespace HorizonAI.Sandbox.Knowledge;

/// <summary>
/// The OpenAI Files and Vector Stores the sandbox keeps, and the switches that make ingestion slow, stuck or failing.
/// A file added to a store is <c>in_progress</c> until it settles (<c>completed</c>, or <c>failed</c> when a failure
/// switch picked it): after <see cref="PollsInProgress"/> reads of it, or <see cref="IngestionDelayMs"/> after it was
/// added, whichever comes first, never while <see cref="HoldIngestion"/> is on. Thread-safe; lists are snapshots.
/// </summary>
public sealed class SandboxKnowledge
{
    public const int DefaultPollsInProgress = 1;
    public const int DefaultIngestionDelayMs = 1000;
    public const int DefaultPollAfterMs = 50;
    public const string FailureMessage = "The file could not be processed (sandbox ingestion failure).";

    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Lock _gate = new();
    private readonly Action _changed;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, StoredFile> _files = new(StringComparer.Ordinal);
    private readonly List<string> _fileOrder = [];
    private readonly Dictionary<string, Store> _stores = new(StringComparer.Ordinal);
    private readonly List<string> _storeOrder = [];
    private readonly Dictionary<string, FileBatch> _batches = new(StringComparer.Ordinal);
    private int _uploadCount;
    private int _pollsInProgress = DefaultPollsInProgress;
    private int? _ingestionDelayMs = DefaultIngestionDelayMs;
    private int _pollAfterMs = DefaultPollAfterMs;
    private int _failNextFiles;
    private bool _failAllFiles;
    private bool _holdIngestion;

    internal SandboxKnowledge(TimeProvider time, Action changed)
    {
        _time = time;
        _changed = changed;
    }

    /// <summary>Reads of a vector-store file (its own GET, its store's GET or file list) answered <c>in_progress</c> before it settles. Default 1.</summary>
    public int PollsInProgress
    {
        get { lock (_gate) { return _pollsInProgress; } }
        set { lock (_gate) { _pollsInProgress = Math.Max(0, value); } }
    }

    /// <summary>A vector-store file also settles this long after it was added, polled or not; null: only by polls. Default 1,000 ms.</summary>
    public int? IngestionDelayMs
    {
        get { lock (_gate) { return _ingestionDelayMs; } }
        set { lock (_gate) { _ingestionDelayMs = value is { } ms ? Math.Max(0, ms) : null; } }
    }

    /// <summary>The <c>openai-poll-after-ms</c> header sent with answers that show a file <c>in_progress</c>. Default 50.</summary>
    public int PollAfterMs
    {
        get { lock (_gate) { return _pollAfterMs; } }
        set { lock (_gate) { _pollAfterMs = Math.Max(0, value); } }
    }

    /// <summary>The next N files added to a store settle <c>failed</c> (<c>last_error</c> <c>server_error</c>).</summary>
    public int FailNextFiles
    {
        get { lock (_gate) { return _failNextFiles; } }
        set { lock (_gate) { _failNextFiles = Math.Max(0, value); } }
    }

    /// <summary>Every file added to a store while on settles <c>failed</c>.</summary>
    public bool FailAllFiles
    {
        get { lock (_gate) { return _failAllFiles; } }
        set { lock (_gate) { _failAllFiles = value; } }
    }

    /// <summary>While on, no vector-store file settles: they stay <c>in_progress</c> (e.g. to crash the platform mid-ingestion). Off again, they settle as usual.</summary>
    public bool HoldIngestion
    {
        get { lock (_gate) { return _holdIngestion; } }
        set
        {
            lock (_gate)
            {
                _holdIngestion = value;
            }

            _changed();
        }
    }

    /// <summary>Files uploaded since the last <see cref="Reset"/>.</summary>
    public int UploadCount
    {
        get { lock (_gate) { return _uploadCount; } }
    }

    /// <summary>Every file uploaded, deleted ones included, in upload order.</summary>
    public IReadOnlyList<UploadedFile> Files
    {
        get { lock (_gate) { return [.. _fileOrder.Select(id => _files[id].File)]; } }
    }

    /// <summary>Every vector store made, deleted ones included, in creation order; reading them counts as no poll.</summary>
    public IReadOnlyList<KnowledgeStore> Stores
    {
        get
        {
            lock (_gate)
            {
                return [.. _storeOrder.Select(id => Snapshot(_stores[id], countRead: false))];
            }
        }
    }

    /// <summary>Deletes a vector store behind its owner's back (as someone in OpenAI's dashboard would): false when there is no such live store.</summary>
    public bool DeleteStore(string id)
    {
        bool deleted;
        lock (_gate)
        {
            deleted = _stores.TryGetValue(id, out var store) && !store.Deleted;
            if (deleted)
            {
                _stores[id].Deleted = true;
            }
        }

        _changed();
        return deleted;
    }

    /// <summary>Deletes, behind their owner's back, every live vector store whose metadata has <paramref name="key"/> = <paramref name="value"/>; returns how many.</summary>
    public int DeleteStoresWithMetadata(string key, string value)
    {
        int count;
        lock (_gate)
        {
            var matching = _stores.Values
                .Where(store => !store.Deleted && store.Metadata.TryGetValue(key, out var found) && found == value)
                .ToArray();
            foreach (var store in matching)
            {
                store.Deleted = true;
            }

            count = matching.Length;
        }

        _changed();
        return count;
    }

    /// <summary>Puts the switches back to their defaults and the upload count to 0. Files and stores keep existing, as they would at OpenAI.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _uploadCount = 0;
            _pollsInProgress = DefaultPollsInProgress;
            _ingestionDelayMs = DefaultIngestionDelayMs;
            _pollAfterMs = DefaultPollAfterMs;
            _failNextFiles = 0;
            _failAllFiles = false;
            _holdIngestion = false;
        }

        _changed();
    }

    internal UploadedFile Upload(string filename, string purpose, byte[] content)
    {
        var file = new UploadedFile(
            "file-" + RandomNumberGenerator.GetString(IdAlphabet, 22), filename, purpose, content.Length,
            KnowledgeText.Extract(filename, content), _time.GetUtcNow());
        lock (_gate)
        {
            _files[file.Id] = new StoredFile(file, content);
            _fileOrder.Add(file.Id);
            _uploadCount++;
        }

        _changed();
        return file;
    }

    /// <summary>A file that was uploaded and not deleted.</summary>
    internal UploadedFile? LiveFile(string id)
    {
        lock (_gate)
        {
            return _files.TryGetValue(id, out var stored) && !stored.File.Deleted ? stored.File : null;
        }
    }

    internal IReadOnlyList<UploadedFile> LiveFiles()
    {
        lock (_gate)
        {
            return [.. _fileOrder.Select(id => _files[id].File).Where(file => !file.Deleted)];
        }
    }

    internal bool DeleteFile(string id)
    {
        bool deleted;
        lock (_gate)
        {
            deleted = _files.TryGetValue(id, out var stored) && !stored.File.Deleted;
            if (deleted)
            {
                _files[id] = stored! with { File = stored!.File with { Deleted = true } };
            }
        }

        _changed();
        return deleted;
    }

    internal bool StoreExists(string id)
    {
        lock (_gate)
        {
            return _stores.TryGetValue(id, out var store) && !store.Deleted;
        }
    }

    /// <summary>Makes a store with these (live) files, each <c>in_progress</c>.</summary>
    internal KnowledgeStore CreateStore(string? name, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<string> fileIds)
    {
        KnowledgeStore created;
        lock (_gate)
        {
            var store = new Store("vs_" + RandomNumberGenerator.GetHexString(32, lowercase: true), name, metadata, _time.GetUtcNow());
            foreach (var fileId in fileIds.Distinct(StringComparer.Ordinal))
            {
                store.Entries.Add(NewEntry(fileId));
            }

            _stores[store.Id] = store;
            _storeOrder.Add(store.Id);
            created = Snapshot(store, countRead: false);
        }

        _changed();
        return created;
    }

    /// <summary>A live store; <paramref name="countRead"/>: this read counts as a poll of each of its files.</summary>
    internal KnowledgeStore? LiveStore(string id, bool countRead)
    {
        KnowledgeStore? found;
        lock (_gate)
        {
            found = _stores.TryGetValue(id, out var store) && !store.Deleted ? Snapshot(store, countRead) : null;
        }

        _changed();
        return found;
    }

    /// <summary>Adds a file to a live store (the existing entry when it is there already); null when the store is gone.</summary>
    internal KnowledgeStoreFile? AddFile(string storeId, string fileId)
    {
        KnowledgeStoreFile? added;
        lock (_gate)
        {
            if (!_stores.TryGetValue(storeId, out var store) || store.Deleted)
            {
                return null;
            }

            var entry = store.Entries.FirstOrDefault(e => e.FileId == fileId);
            if (entry is null)
            {
                entry = NewEntry(fileId);
                store.Entries.Add(entry);
            }

            added = View(store, entry);
        }

        _changed();
        return added;
    }

    /// <summary>A file of a live store, this read counting as a poll; null when either is missing.</summary>
    internal KnowledgeStoreFile? StoreFile(string storeId, string fileId)
    {
        KnowledgeStoreFile? found = null;
        lock (_gate)
        {
            if (_stores.TryGetValue(storeId, out var store) && !store.Deleted
                && store.Entries.FirstOrDefault(e => e.FileId == fileId) is { } entry)
            {
                Settle(entry);
                entry.Reads++;
                found = View(store, entry);
            }
        }

        _changed();
        return found;
    }

    internal bool RemoveFile(string storeId, string fileId)
    {
        bool removed;
        lock (_gate)
        {
            removed = _stores.TryGetValue(storeId, out var store) && !store.Deleted
                && store.Entries.RemoveAll(e => e.FileId == fileId) > 0;
        }

        _changed();
        return removed;
    }

    /// <summary>Remembers a file batch (its files were added one by one): it reports on those files of its store.</summary>
    internal string AddBatch(string storeId, IReadOnlyList<string> fileIds)
    {
        var id = "vsfb_" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        lock (_gate)
        {
            _batches[id] = new FileBatch(storeId, fileIds, _time.GetUtcNow());
        }

        return id;
    }

    internal FileBatch? Batch(string id)
    {
        lock (_gate)
        {
            return _batches.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// What file_search reads in these stores: each completed file that was not deleted, once, with its text, in store
    /// order then file order. Searching counts as no poll.
    /// </summary>
    internal IReadOnlyList<UploadedFile> SearchableFiles(IEnumerable<string> storeIds)
    {
        lock (_gate)
        {
            var files = new List<UploadedFile>();
            foreach (var storeId in storeIds)
            {
                if (!_stores.TryGetValue(storeId, out var store) || store.Deleted)
                {
                    continue;
                }

                foreach (var entry in store.Entries)
                {
                    Settle(entry);
                    if (entry.Status == KnowledgeStoreFile.Completed && _files.TryGetValue(entry.FileId, out var stored)
                        && !stored.File.Deleted && !files.Any(file => file.Id == entry.FileId))
                    {
                        files.Add(stored.File);
                    }
                }
            }

            return files;
        }
    }

    // Called under the lock.
    private Entry NewEntry(string fileId)
    {
        var fails = _failAllFiles || _failNextFiles > 0;
        if (!_failAllFiles && _failNextFiles > 0)
        {
            _failNextFiles--;
        }

        return new Entry(fileId, _time.GetUtcNow(), fails);
    }

    // Called under the lock.
    private void Settle(Entry entry)
    {
        if (entry.Status != KnowledgeStoreFile.InProgress || _holdIngestion)
        {
            return;
        }

        var waited = _time.GetUtcNow() - entry.AddedAt;
        if (entry.Reads >= _pollsInProgress || (_ingestionDelayMs is { } delay && waited >= TimeSpan.FromMilliseconds(delay)))
        {
            entry.Status = entry.Fails ? KnowledgeStoreFile.Failed : KnowledgeStoreFile.Completed;
        }
    }

    // Called under the lock.
    private KnowledgeStore Snapshot(Store store, bool countRead)
    {
        foreach (var entry in store.Entries)
        {
            Settle(entry);
            if (countRead)
            {
                entry.Reads++;
            }
        }

        return new KnowledgeStore(store.Id, store.Name, store.Metadata, [.. store.Entries.Select(entry => View(store, entry))], store.CreatedAt)
        {
            Deleted = store.Deleted,
        };
    }

    // Called under the lock.
    private KnowledgeStoreFile View(Store store, Entry entry) => new(
        entry.FileId,
        store.Id,
        entry.Status,
        entry.Status == KnowledgeStoreFile.Completed && _files.TryGetValue(entry.FileId, out var stored) ? stored.File.Bytes : 0,
        entry.Status == KnowledgeStoreFile.Failed ? FailureMessage : null,
        entry.AddedAt);

    private sealed record StoredFile(UploadedFile File, byte[] Content);

    private sealed class Store(string id, string? name, IReadOnlyDictionary<string, string> metadata, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public string? Name { get; } = name;

        public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public List<Entry> Entries { get; } = [];

        public bool Deleted { get; set; }
    }

    private sealed class Entry(string fileId, DateTimeOffset addedAt, bool fails)
    {
        public string FileId { get; } = fileId;

        public DateTimeOffset AddedAt { get; } = addedAt;

        public bool Fails { get; } = fails;

        public int Reads { get; set; }

        public string Status { get; set; } = KnowledgeStoreFile.InProgress;
    }
}

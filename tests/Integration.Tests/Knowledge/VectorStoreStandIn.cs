using System.Text.Json.Nodes;
using HorizonAI.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Integration.Tests.Knowledge;

/// <summary>
/// A minimal stand-in for OpenAI's Files and Vector Stores endpoints in their wire format, for the knowledge index's
/// tests until the sandbox serves them (same routes: <c>POST /v1/files</c> multipart, <c>DELETE /v1/files/{id}</c>,
/// <c>POST /v1/vector_stores</c>, <c>GET|DELETE /v1/vector_stores/{id}</c>, <c>POST /v1/vector_stores/{id}/files</c>,
/// <c>GET|DELETE /v1/vector_stores/{id}/files/{file_id}</c>). A file added to a store is <c>in_progress</c>, answered
/// with <c>openai-poll-after-ms</c>, and <c>completed</c> at the next look unless indexing is held; switches make
/// ingestion fail, answer uploads 503, and delete a store behind the caller's back.
/// </summary>
public sealed class VectorStoreStandIn : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (string FileName, int Bytes)> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoreState> _stores = new(StringComparer.Ordinal);
    private readonly List<string> _uploads = [];
    private int _next;
    private WebApplication? _app;

    /// <summary>While set, files stay <c>in_progress</c>.</summary>
    public bool HoldIndexing { get; set; }

    /// <summary>While set, files added to a store fail with this message (<c>last_error</c>, code <c>invalid_file</c>).</summary>
    public string? FailIngestion { get; set; }

    /// <summary>Uploads answered <c>503</c> before the stand-in takes one again.</summary>
    public int UnavailableUploads { get; set; }

    public string BaseUrl => _app!.BaseUrl();

    public static async Task<VectorStoreStandIn> StartAsync()
    {
        var standIn = new VectorStoreStandIn();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        standIn.Map(app);
        await app.StartAsync();
        standIn._app = app;
        return standIn;
    }

    /// <summary>The names of the files uploaded so far, one per upload (a second upload of a document shows twice).</summary>
    public IReadOnlyList<string> Uploads
    {
        get
        {
            lock (_gate)
            {
                return [.. _uploads];
            }
        }
    }

    public bool FileExists(string fileId)
    {
        lock (_gate)
        {
            return _files.ContainsKey(fileId);
        }
    }

    /// <summary>The stores that exist, with the bot their metadata names and the files in them.</summary>
    public IReadOnlyList<(string Id, string? Bot, string Name, IReadOnlyList<string> Files)> Stores
    {
        get
        {
            lock (_gate)
            {
                return [.. _stores.Select(s => (s.Key, s.Value.Bot, s.Value.Name, (IReadOnlyList<string>)[.. s.Value.Files.Keys]))];
            }
        }
    }

    /// <summary>The files in a store with their status, or null when it does not exist.</summary>
    public IReadOnlyDictionary<string, string>? FilesIn(string vectorStoreId)
    {
        lock (_gate)
        {
            return _stores.TryGetValue(vectorStoreId, out var store) ? new Dictionary<string, string>(store.Files.ToDictionary(f => f.Key, f => f.Value.Status)) : null;
        }
    }

    /// <summary>Deletes a store as someone with the project's key would, behind the product's back.</summary>
    public void DeleteStoreBehindOurBack(string vectorStoreId)
    {
        lock (_gate)
        {
            _stores.Remove(vectorStoreId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/v1/files", async (HttpRequest request) =>
        {
            lock (_gate)
            {
                if (UnavailableUploads > 0)
                {
                    UnavailableUploads--;
                    return Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = "The engine is currently overloaded, please try again later.", ["type"] = "server_error", ["param"] = null, ["code"] = null } },
                        statusCode: 503);
                }
            }

            var form = await request.ReadFormAsync();
            var file = form.Files["file"];
            if (file is null || form["purpose"] != "assistants")
            {
                return Error(400, "file and purpose=assistants are required");
            }

            lock (_gate)
            {
                var id = "file-" + Interlocked.Increment(ref _next).ToString("D6");
                _files[id] = (file.FileName, (int)file.Length);
                _uploads.Add(file.FileName);
                return Results.Json(File(id, file.FileName, (int)file.Length));
            }
        });
        app.MapDelete("/v1/files/{id}", (string id) =>
        {
            lock (_gate)
            {
                return _files.Remove(id)
                    ? Results.Json(new JsonObject { ["id"] = id, ["object"] = "file", ["deleted"] = true })
                    : Error(404, $"No such File object: {id}");
            }
        });
        app.MapPost("/v1/vector_stores", async (HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            lock (_gate)
            {
                var id = "vs_" + Interlocked.Increment(ref _next).ToString("D6");
                var store = new StoreState((string?)body["name"] ?? "", (string?)body["metadata"]?["bot"]);
                foreach (var fileId in body["file_ids"]?.AsArray().Select(f => (string)f!) ?? [])
                {
                    if (!_files.ContainsKey(fileId))
                    {
                        return Error(404, $"No file found with id '{fileId}'.");
                    }

                    store.Files[fileId] = NewFile();
                }

                _stores[id] = store;
                return Results.Json(Store(id, store));
            }
        });
        app.MapGet("/v1/vector_stores/{id}", (string id) =>
        {
            lock (_gate)
            {
                return _stores.TryGetValue(id, out var store) ? Results.Json(Store(id, store)) : Error(404, $"No vector store found with id '{id}'.");
            }
        });
        app.MapDelete("/v1/vector_stores/{id}", (string id) =>
        {
            lock (_gate)
            {
                return _stores.Remove(id)
                    ? Results.Json(new JsonObject { ["id"] = id, ["object"] = "vector_store.deleted", ["deleted"] = true })
                    : Error(404, $"No vector store found with id '{id}'.");
            }
        });
        app.MapPost("/v1/vector_stores/{id}/files", async (string id, HttpRequest request, HttpResponse response) =>
        {
            var fileId = (string?)(await JsonNode.ParseAsync(request.Body))?["file_id"];
            lock (_gate)
            {
                if (!_stores.TryGetValue(id, out var store))
                {
                    return Error(404, $"No vector store found with id '{id}'.");
                }

                if (fileId is null || !_files.ContainsKey(fileId))
                {
                    return Error(404, $"No file found with id '{fileId}'.");
                }

                var file = store.Files.TryGetValue(fileId, out var existing) ? existing : store.Files[fileId] = NewFile();
                response.Headers["openai-poll-after-ms"] = "200";
                return Results.Json(StoreFile(id, fileId, file));
            }
        });
        app.MapGet("/v1/vector_stores/{id}/files/{fileId}", (string id, string fileId, HttpResponse response) =>
        {
            lock (_gate)
            {
                if (!_stores.TryGetValue(id, out var store) || !store.Files.TryGetValue(fileId, out var file))
                {
                    return Error(404, $"No file found with id '{fileId}' in vector store '{id}'.");
                }

                if (file.Status == "in_progress" && !HoldIndexing)
                {
                    file = store.Files[fileId] = FailIngestion is { } message ? file with { Status = "failed", Error = message } : file with { Status = "completed" };
                }

                if (file.Status == "in_progress")
                {
                    response.Headers["openai-poll-after-ms"] = "200";
                }

                return Results.Json(StoreFile(id, fileId, file));
            }
        });
        app.MapDelete("/v1/vector_stores/{id}/files/{fileId}", (string id, string fileId) =>
        {
            lock (_gate)
            {
                return _stores.TryGetValue(id, out var store) && store.Files.Remove(fileId)
                    ? Results.Json(new JsonObject { ["id"] = fileId, ["object"] = "vector_store.file.deleted", ["deleted"] = true })
                    : Error(404, $"No file found with id '{fileId}' in vector store '{id}'.");
            }
        });
    }

    private static StoreFileState NewFile() => new("in_progress", null);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private JsonObject File(string id, string name, int bytes) => new()
    {
        ["id"] = id, ["object"] = "file", ["bytes"] = bytes, ["created_at"] = Now(), ["filename"] = name, ["purpose"] = "assistants", ["status"] = "processed",
    };

    private JsonObject Store(string id, StoreState store)
    {
        var completed = store.Files.Values.Where(f => f.Status == "completed").ToList();
        return new JsonObject
        {
            ["id"] = id, ["object"] = "vector_store", ["created_at"] = Now(), ["name"] = store.Name,
            ["usage_bytes"] = completed.Count * 1000,
            ["file_counts"] = new JsonObject
            {
                ["in_progress"] = store.Files.Values.Count(f => f.Status == "in_progress"), ["completed"] = completed.Count,
                ["failed"] = store.Files.Values.Count(f => f.Status == "failed"), ["cancelled"] = 0, ["total"] = store.Files.Count,
            },
            ["status"] = store.Files.Values.Any(f => f.Status == "in_progress") ? "in_progress" : "completed",
            ["metadata"] = store.Bot is null ? new JsonObject() : new JsonObject { ["bot"] = store.Bot },
            ["expires_at"] = null, ["last_active_at"] = Now(),
        };
    }

    private static JsonObject StoreFile(string storeId, string fileId, StoreFileState file) => new()
    {
        ["id"] = fileId, ["object"] = "vector_store.file", ["usage_bytes"] = file.Status == "completed" ? 1000 : 0, ["created_at"] = Now(),
        ["vector_store_id"] = storeId, ["status"] = file.Status,
        ["last_error"] = file.Error is null ? null : new JsonObject { ["code"] = "invalid_file", ["message"] = file.Error },
        ["chunking_strategy"] = new JsonObject { ["type"] = "static", ["static"] = new JsonObject { ["max_chunk_size_tokens"] = 800, ["chunk_overlap_tokens"] = 400 } },
        ["attributes"] = new JsonObject(),
    };

    private static IResult Error(int status, string message) => Results.Json(
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = null, ["code"] = null } },
        statusCode: status);

    private sealed record StoreFileState(string Status, string? Error);

    private sealed class StoreState(string name, string? bot)
    {
        public string Name { get; } = name;

        public string? Bot { get; } = bot;

        public Dictionary<string, StoreFileState> Files { get; } = new(StringComparer.Ordinal);
    }
}

using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Faults;
using HorizonAI.Sandbox.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// <c>/v1/files</c>: upload (multipart <c>file</c> + <c>purpose</c>), list, read and delete, in the wire format of the
/// OpenAI .NET SDK 2.15.0 (<c>OpenAIFileClient</c>). The bytes are kept with the text file_search reads in them.
/// </summary>
internal static class FilesEndpoints
{
    private static readonly string[] Purposes = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"];

    public static RouteGroupBuilder MapFiles(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/files")
            .AddEndpointFilter(new FaultFilter(state => state.OpenAI, OpenAIErrors.Injected));
        group.MapPost("", UploadAsync).DisableAntiforgery();
        group.MapGet("", List);
        group.MapGet("/{fileId}", Get);
        group.MapDelete("/{fileId}", Delete);
        return group;
    }

    private static async Task<Results<Ok<JsonObject>, JsonHttpResult<JsonObject>>> UploadAsync(HttpContext context, SandboxState state)
    {
        if (!context.Request.HasFormContentType)
        {
            return OpenAIErrors.Create(400, "Send the file as multipart/form-data.", OpenAIErrors.InvalidRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var purpose = form["purpose"].ToString();
        if (purpose.Length == 0)
        {
            return OpenAIErrors.Create(400, "Missing required parameter: 'purpose'.", OpenAIErrors.InvalidRequest, "purpose", "missing_required_parameter");
        }

        if (!Purposes.Contains(purpose, StringComparer.Ordinal))
        {
            return OpenAIErrors.Create(400, $"'{purpose}' is not one of {string.Join(", ", Purposes.Select(p => $"'{p}'"))} - 'purpose'",
                OpenAIErrors.InvalidRequest, "purpose");
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return OpenAIErrors.Create(400, "Missing required parameter: 'file'.", OpenAIErrors.InvalidRequest, "file", "missing_required_parameter");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, context.RequestAborted);
        return TypedResults.Ok(FileJson(state.Knowledge.Upload(file.FileName, purpose, buffer.ToArray())));
    }

    private static Ok<JsonObject> List(SandboxState state, string? purpose) => TypedResults.Ok(KnowledgeJson.List(
        state.Knowledge.LiveFiles().Where(file => purpose is null || file.Purpose == purpose).Reverse().Select(FileJson)));

    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> Get(string fileId, SandboxState state) =>
        state.Knowledge.LiveFile(fileId) is { } file ? TypedResults.Ok(FileJson(file)) : NotFound(fileId);

    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> Delete(string fileId, SandboxState state) =>
        state.Knowledge.DeleteFile(fileId)
            ? TypedResults.Ok(new JsonObject { ["id"] = fileId, ["object"] = "file", ["deleted"] = true })
            : NotFound(fileId);

    public static JsonHttpResult<JsonObject> NotFound(string fileId) =>
        OpenAIErrors.Create(404, $"No such File object: {fileId}", OpenAIErrors.InvalidRequest, "id");

    private static JsonObject FileJson(UploadedFile file) => new()
    {
        ["id"] = file.Id,
        ["object"] = "file",
        ["bytes"] = file.Bytes,
        ["created_at"] = file.CreatedAt.ToUnixTimeSeconds(),
        ["expires_at"] = null,
        ["filename"] = file.Filename,
        ["purpose"] = file.Purpose,
        ["status"] = "processed",
        ["status_details"] = null,
    };
}

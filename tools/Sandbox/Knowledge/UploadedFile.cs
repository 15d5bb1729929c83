namespace HorizonAI.Sandbox.Knowledge;

/// <summary>A file uploaded to <c>POST /v1/files</c>.</summary>
/// <param name="Id">Its <c>file-…</c> id.</param>
/// <param name="Filename">The multipart file name.</param>
/// <param name="Purpose">The <c>purpose</c> field, e.g. <c>assistants</c>.</param>
/// <param name="Bytes">Its size in bytes.</param>
/// <param name="Text">What file_search reads in it: the bytes as UTF-8 text (HTML without its tags), or empty for binary files such as PDF and DOCX.</param>
/// <param name="CreatedAt">When it was uploaded.</param>
public sealed record UploadedFile(string Id, string Filename, string Purpose, long Bytes, string Text, DateTimeOffset CreatedAt)
{
    /// <summary>Deleted through <c>DELETE /v1/files/{id}</c>: gone for the API and never searched again.</summary>
    public bool Deleted { get; init; }
}

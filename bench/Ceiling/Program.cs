using System.Text;

namespace HorizonAI.Ceiling;

/// <summary>
/// A bare Kestrel endpoint answering the webhook the way the Gateway does on its fast path (read the form, answer
/// 200 text/xml <c>&lt;Response&gt;&lt;/Response&gt;</c>) without the signature check, the Orleans call or the
/// database: what this machine's HTTP stack can do at best. Listens on 127.0.0.1 only, on <c>PORT</c> (default 8099).
/// </summary>
internal static class Program
{
    private static readonly byte[] EmptyTwiml = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>");

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var port = Environment.GetEnvironmentVariable("PORT") is { Length: > 0 } value ? value : "8099";
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

        var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapPost("/webhook/whatsapp", AnswerAsync);
        await app.RunAsync();
    }

    private static async Task AnswerAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["MessageSid"].Count == 0 || form["From"].Count == 0 || form["To"].Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        context.Response.ContentType = "text/xml; charset=utf-8";
        context.Response.ContentLength = EmptyTwiml.Length;
        await context.Response.Body.WriteAsync(EmptyTwiml, context.RequestAborted);
    }
}

using Scalar.AspNetCore;

namespace HorizonAI.Gateway.Hosting;

public static class OpenApiExtensions
{
    /// <summary>The admin API's OpenAPI document at <c>/openapi/v1.json</c> and a browsable reference at <c>/docs</c>.</summary>
    public static IServiceCollection AddHorizonOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "HorizonAI.Orleans admin API";
                document.Info.Description = "Bots, backups, conversations, transcripts and usage of a multi-tenant WhatsApp AI-bot platform. "
                    + "Every route requires `Authorization: Bearer <ADMIN_API_KEY>`.";
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer<BotSchemaExamples>();
        });

    public static WebApplication MapHorizonOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithTitle("HorizonAI.Orleans admin API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}

using System.Text.Json.Nodes;
using HorizonAI.Gateway.Bots;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace HorizonAI.Gateway.Hosting;

/// <summary>Puts the seed's example bot into the OpenAPI schema of the bot JSON.</summary>
public sealed class BotSchemaExamples : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(BotDocument))
        {
            schema.Examples = [new JsonObject
            {
                ["name"] = "Restaurante La Cocina",
                ["twilio_phone_number"] = "+15551111111",
                ["assistant_id"] = "pmpt_123",
                ["instructions"] = "Eres asistente del restaurante...",
                ["model"] = "gpt-5-mini",
                ["enabled"] = true,
                ["debounce_ms"] = 0,
                ["fallback_message"] = "Lo siento, tuve un problema. Intenta de nuevo en unos minutos.",
                ["metadata"] = new JsonObject { ["cliente"] = "Cliente A" },
            }];
        }

        return Task.CompletedTask;
    }
}

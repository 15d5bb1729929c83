using System.Text.Json.Nodes;

namespace HorizonAI.Sandbox.Business;

/// <summary>
/// Bot definitions for the admin API (<c>POST /bots</c>) wired to the demo business on this sandbox, so that a local
/// run can offer bots whose tools work out of the box. Served by the sandbox so that the secret, the token and the
/// routes are written in one place.
/// </summary>
internal static class DemoBots
{
    public const string RestaurantNumber = "+15550001001";
    public const string PharmacyNumber = "+15550001002";

    public static readonly string[] Names = ["restaurant", "pharmacy"];

    /// <summary>
    /// The knowledge document of a demo bot, for <c>POST /bots/{number}/knowledge</c> (<c>{"title", "text"}</c>): the
    /// restaurant's menu, which its assistant answers from; null for a demo bot without one.
    /// </summary>
    public static JsonObject? Knowledge(string name) => name switch
    {
        "restaurant" => new JsonObject
        {
            ["title"] = "Menú y horario",
            ["text"] = """
                Menú del día de Restaurante Demo: cazuela de vacuno, pastel de choclo o ensalada chilena, con postre y bebida, a 8.900 pesos.
                Platos vegetarianos: lasaña de verduras y risotto de champiñones.
                Horario: abrimos de martes a domingo de 12:30 a 23:00; los lunes cerramos.
                Estacionamiento gratuito para clientes en el subterráneo del edificio.
                """,
        },
        _ => null,
    };

    /// <summary>The definition named <paramref name="name"/>, its URLs on <paramref name="baseUrl"/>; null for an unknown name.</summary>
    public static JsonObject? Definition(string name, string baseUrl) => name switch
    {
        "restaurant" => Restaurant(baseUrl),
        "pharmacy" => Pharmacy(baseUrl),
        _ => null,
    };

    private static JsonObject Restaurant(string baseUrl) => new()
    {
        ["name"] = "Demo restaurant",
        ["twilio_phone_number"] = RestaurantNumber,
        ["instructions"] = "Restaurante Demo. Check availability before booking; ask for the number of people and the time first.",
        ["tools"] = new JsonArray
        {
            Tool("check_availability", "Whether a table is free for that many people at that time.",
                baseUrl + SandboxBusiness.RestaurantPath + "/check_availability", Schema(("people", "integer"), ("time", "string"))),
            Tool("book_table", "Books a table. Ask for the number of people and the time first.",
                baseUrl + SandboxBusiness.RestaurantPath + "/book_table", Schema(("people", "integer"), ("time", "string"), ("name", "string|null"))),
        },
        ["tools_secret"] = SandboxBusiness.ToolsSecret,
    };

    private static JsonObject Pharmacy(string baseUrl) => new()
    {
        ["name"] = "Demo pharmacy",
        ["twilio_phone_number"] = PharmacyNumber,
        ["instructions"] = "Farmacia Demo. Look up stock and prices with the inventory tools before answering.",
        ["mcp_servers"] = new JsonArray
        {
            new JsonObject
            {
                ["label"] = "inventory",
                ["url"] = baseUrl + SandboxBusiness.McpPath,
                ["headers"] = new JsonObject { ["Authorization"] = "Bearer " + SandboxBusiness.McpToken },
                ["allowed_tools"] = new JsonArray("stock_lookup", "price"),
            },
        },
    };

    private static JsonObject Tool(string name, string description, string url, JsonObject parameters) => new()
    {
        ["name"] = name,
        ["description"] = description,
        ["parameters"] = parameters,
        ["url"] = url,
        ["timeout_ms"] = 8000,
    };

    /// <summary>An object schema fit for strict mode: every property required, no others; "string|null" for an optional one.</summary>
    private static JsonObject Schema(params (string Name, string Type)[] properties) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create<string, JsonNode?>(p.Name, new JsonObject
        {
            ["type"] = p.Type.Contains('|', StringComparison.Ordinal) ? new JsonArray([.. p.Type.Split('|').Select(t => (JsonNode?)t)]) : p.Type,
        }))),
        ["required"] = new JsonArray([.. properties.Select(p => (JsonNode?)p.Name)]),
        ["additionalProperties"] = false,
    };
}

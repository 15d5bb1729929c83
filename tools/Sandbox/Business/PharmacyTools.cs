using System.ComponentModel;
using System.Text.Json.Nodes;
using ModelContextProtocol.Server;

namespace HorizonAI.Sandbox.Business;

/// <summary>The demo pharmacy's MCP tools: stock and price of a few products, answered as JSON text.</summary>
[McpServerToolType]
internal sealed class PharmacyTools
{
    private static readonly (string Name, int Stock, int PriceClp)[] Products =
    [
        ("Paracetamol 500 mg", 42, 1990),
        ("Ibuprofeno 400 mg", 0, 2490),
        ("Amoxicilina 500 mg", 7, 5990),
        ("Protector solar FPS 50", 15, 12990),
    ];

    [McpServerTool(Name = "stock_lookup", ReadOnly = true), Description("Units in stock of a pharmacy product.")]
    public static string StockLookup([Description("The product, e.g. paracetamol.")] string product) =>
        Find(product) is { } found
            ? new JsonObject { ["product"] = found.Name, ["in_stock"] = found.Stock > 0, ["stock"] = found.Stock }.ToJsonString()
            : NotFound(product);

    [McpServerTool(Name = "price", ReadOnly = true), Description("Price of a pharmacy product, in Chilean pesos.")]
    public static string Price([Description("The product, e.g. paracetamol.")] string product) =>
        Find(product) is { } found
            ? new JsonObject { ["product"] = found.Name, ["price_clp"] = found.PriceClp }.ToJsonString()
            : NotFound(product);

    private static (string Name, int Stock, int PriceClp)? Find(string product) =>
        Products.Where(p => p.Name.Contains(product.Trim(), StringComparison.OrdinalIgnoreCase)).Cast<(string, int, int)?>().FirstOrDefault();

    private static string NotFound(string product) => new JsonObject { ["product"] = product, ["found"] = false }.ToJsonString();
}

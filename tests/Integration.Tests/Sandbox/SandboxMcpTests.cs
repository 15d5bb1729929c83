using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HorizonAI.Sandbox.Business;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace HorizonAI.Integration.Tests.Sandbox;

/// <summary>The demo pharmacy's MCP server, reached through the official MCP SDK's client over Streamable HTTP.</summary>
public sealed class SandboxMcpTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task WithTheTokenTheServerListsItsToolsAndAnswersStockLookup()
    {
        await using var client = await McpClient.CreateAsync(Transport(SandboxBusiness.McpToken));

        var tools = await client.ListToolsAsync();
        Assert.Equal(["price", "stock_lookup"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Contains("product", tools.Single(t => t.Name == "stock_lookup").ProtocolTool.InputSchema.GetRawText(), StringComparison.Ordinal);

        var result = await client.CallToolAsync("stock_lookup", new Dictionary<string, object?> { ["product"] = "paracetamol" });
        Assert.NotEqual(true, result.IsError);
        var stock = JsonDocument.Parse(Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text).RootElement;
        Assert.Equal("Paracetamol 500 mg", stock.GetProperty("product").GetString());
        Assert.Equal(42, stock.GetProperty("stock").GetInt32());

        var call = sandbox.State.Business.McpCalls.Last(c => c.Tool == "stock_lookup");
        Assert.True(call.Authorized);
        Assert.Equal("""{"product":"paracetamol"}""", call.Arguments);
    }

    [Fact]
    public async Task WithoutTheTokenTheServerRefusesWith401AndRecordsTheRefusedCall()
    {
        await Assert.ThrowsAnyAsync<Exception>(async () => await (await McpClient.CreateAsync(Transport("wrong-token"))).DisposeAsync());

        using var request = new HttpRequestMessage(HttpMethod.Post, SandboxBusiness.McpPath)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"price","arguments":{"product":"refused-probe"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var refused = await sandbox.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var call = Assert.Single(sandbox.State.Business.McpCalls, c => c.Arguments.Contains("refused-probe", StringComparison.Ordinal));
        Assert.False(call.Authorized);
        Assert.Equal("price", call.Tool);
    }

    private HttpClientTransport Transport(string token) => new(new HttpClientTransportOptions
    {
        Endpoint = new Uri(sandbox.BaseUrl + SandboxBusiness.McpPath),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
    });
}

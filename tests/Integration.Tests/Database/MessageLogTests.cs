using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Integration.Tests.Infrastructure;
using Npgsql;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>The message log's delivery-status rules, against PostgreSQL.</summary>
public sealed class MessageLogTests
{
    [Fact]
    public async Task AStatusCallbackThatOutrunsTheReplysLogRowIsAppliedWhenTheRowIsWritten()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var log = new MessageLog(dataSource);

        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly1", "sent", null)));
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly1", "delivered", null)));
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly1", "sent", null)));
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly2", "failed", "63016")));

        await log.RecordOutboundAsync(new OutboundRecord("+15550000001", "+56900000001", "hola", "SMearly1", "queued"));
        await log.RecordOutboundAsync(new OutboundRecord("+15550000001", "+56900000001", "chao", "SMearly2", "queued"));
        await log.RecordOutboundAsync(new OutboundRecord("+15550000001", "+56900000001", "otro", "SMlate", "queued"));

        Assert.Equal("delivered", await database.ScalarAsync<string>("select status from messages where twilio_sid = 'SMearly1'"));
        var failed = Assert.Single(await database.QueryAsync("select status, error_code, error_message from messages where twilio_sid = 'SMearly2'"));
        Assert.Equal("failed", failed["status"]);
        Assert.Equal("63016", failed["error_code"]);
        Assert.Contains("24-hour window", (string)failed["error_message"]!);
        Assert.Equal("queued", await database.ScalarAsync<string>("select status from messages where twilio_sid = 'SMlate'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from early_delivery_statuses"));

        // Once the row exists the ordinary rule holds: forward only.
        Assert.Equal(DeliveryStatusOutcome.Unchanged, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly1", "sent", null)));
        Assert.Equal(DeliveryStatusOutcome.Updated, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly1", "read", null)));
    }
}

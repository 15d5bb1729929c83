using System.Globalization;
using HorizonAI.LoadGenerator.Webhooks;

namespace HorizonAI.LoadGenerator.Scenario;

/// <summary>Builds message <c>n</c> of a run: a Twilio-style SID, the population's bot and user, a tagged body.</summary>
public sealed class MessageFactory(string run, string accountSid, Func<long, (string Bot, string User)> addressOf)
{
    public string Run => run;

    public (string Bot, string User) AddressOf(long sequence) => addressOf(sequence);

    public InboundWebhook Create(long sequence)
    {
        var (bot, user) = addressOf(sequence);

        // SM + 32 hex digits, like Twilio's: the run's 6, then the sequence number.
        var sid = "SM" + run + sequence.ToString("x26", CultureInfo.InvariantCulture);
        return new InboundWebhook(sid, accountSid, bot, user, MessageTag.Body(run, sequence));
    }

    /// <summary>The measured traffic: message <c>n</c> from the population's <c>n</c>-th user in its shuffled order.</summary>
    public static MessageFactory ForPopulation(Population population, string run, string accountSid) =>
        new(run, accountSid, sequence =>
        {
            var user = population.UserOf(sequence);
            return (Population.BotNumber(population.BotOf(user)), Population.UserNumber(user));
        });

    /// <summary>
    /// Warm-up traffic from <paramref name="users"/> users outside the measured population, round robin, user
    /// <c>u</c> writing to bot <c>u mod bots</c>: new conversations at first, then more turns of the same ones.
    /// </summary>
    public static MessageFactory ForWarmup(int bots, int users, string run, string accountSid) =>
        new(run, accountSid, sequence =>
        {
            var user = (int)(sequence % users);
            return (Population.BotNumber(user % bots), Population.WarmupUserNumber(user));
        });
}

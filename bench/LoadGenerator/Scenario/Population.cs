using System.Globalization;

namespace HorizonAI.LoadGenerator.Scenario;

/// <summary>
/// Who writes to whom: <c>bots</c> client numbers and <c>users</c> end users, each user talking to one bot
/// (user <c>u</c> to bot <c>u mod bots</c>), so there are exactly <c>users</c> conversations. Message <c>n</c> goes to
/// the <c>(n mod users)</c>-th user of a fixed shuffled order: every conversation has a message once <c>users</c>
/// messages are sent, and a user's next message comes a full round later.
/// </summary>
public sealed class Population
{
    private const long FirstBot = 15552000000;   // +1 555 200 0000: NANP fictional-use exchange 555
    private const long FirstUser = 56910000000;  // +56 9 1000 0000: Chilean mobile numbers, as in the seed
    private const long FirstWarmupUser = 56990000000;
    private readonly int[] _order;

    public Population(int bots, int users, int seed = 20261126)
    {
        if (bots < 1 || users < bots)
        {
            throw new ArgumentException($"need at least one bot and at least as many users as bots (bots {bots}, users {users})");
        }

        Bots = bots;
        Users = users;
        _order = Enumerable.Range(0, users).ToArray();
        new Random(seed).Shuffle(_order);
    }

    public int Bots { get; }

    public int Users { get; }

    public static string BotNumber(int bot) => "+" + (FirstBot + bot).ToString(CultureInfo.InvariantCulture);

    public static string UserNumber(int user) => "+" + (FirstUser + user).ToString(CultureInfo.InvariantCulture);

    /// <summary>Users that only the warm-up writes from, apart from the measured conversations.</summary>
    public static string WarmupUserNumber(int user) => "+" + (FirstWarmupUser + user).ToString(CultureInfo.InvariantCulture);

    public int UserOf(long message) => _order[(int)(message % Users)];

    public int BotOf(int user) => user % Bots;
}

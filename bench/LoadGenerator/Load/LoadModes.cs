namespace HorizonAI.LoadGenerator.Load;

public static class LoadModes
{
    /// <summary>A fixed schedule at a target rate, whatever the server does.</summary>
    public const string Open = "open";

    /// <summary>N senders, each sending again when answered.</summary>
    public const string Closed = "closed";
}

namespace HorizonAI.Grains.Interfaces;

[GenerateSerializer, Alias("horizonai.bot-write-mode")]
public enum BotWriteMode
{
    /// <summary>Only when the bot does not exist yet.</summary>
    Create,

    /// <summary>Only when the bot exists.</summary>
    Replace,

    /// <summary>Create or replace (backup restore).</summary>
    Upsert,
}

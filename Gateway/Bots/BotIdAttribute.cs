using System.ComponentModel.DataAnnotations;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Bots;

/// <summary>A bot id as the server makes them (<see cref="BotIds"/>); null passes (a new bot).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class BotIdAttribute() : ValidationAttribute("{0} must be a bot id as the server set it")
{
    public override bool IsValid(object? value) => value is null || (value is string id && BotIds.IsValid(id));
}
